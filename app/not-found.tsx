import Link from 'next/link';

export default function NotFound() {
  return (
    <section className="rounded-lg border border-slate-200 bg-white px-6 py-12 text-center">
      <h1 className="text-lg font-semibold text-slate-900">Page not found</h1>
      <p className="mt-2 text-sm text-slate-600">There is nothing at this address.</p>
      <Link href="/" className="mt-4 inline-block text-sm font-medium text-sky-700 hover:text-sky-900 hover:underline">
        Back to connectors
      </Link>
    </section>
  );
}
