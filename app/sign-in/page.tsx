import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { safeReturnTo } from '@/lib/auth/oidc-sign-in';
import { currentUser } from '../_lib/current-user';
import { webContext } from '../api/_lib/web-context';

export const metadata: Metadata = { title: 'Sign in' };
export const dynamic = 'force-dynamic';

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Where every page sends a browser without a session; the button starts the OpenID Connect sign-in. */
export default async function SignInPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const returnTo = safeReturnTo(first(params.returnTo));
  if (await currentUser()) redirect(returnTo);
  const { signIn } = webContext();
  const error = first(params.error)?.slice(0, 300);
  const provider = signIn && new URL(signIn.authority).hostname === 'login.microsoftonline.com' ? 'Microsoft Entra ID' : 'your identity provider';
  return (
    <div className="mx-auto mt-16 max-w-sm rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
      <h1 className="text-xl font-semibold text-slate-900">Sign in to Kastor</h1>
      <p className="mt-1 text-sm text-slate-600">Kastor manages the ingestion of Kafka topics into Azure Data Explorer. What you may do follows your role: viewer, operator or admin.</p>
      {error && (
        <p role="alert" className="mt-4 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          {error}
        </p>
      )}
      {signIn ? (
        <a
          href={`/api/auth/login?returnTo=${encodeURIComponent(returnTo)}`}
          className="mt-6 block rounded-md bg-sky-600 px-4 py-2 text-center text-sm font-medium text-white hover:bg-sky-500"
        >
          Sign in with {provider}
        </a>
      ) : (
        <p className="mt-6 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          Sign-in is not configured on this server (KASTOR_AUTH_AUTHORITY, KASTOR_AUTH_CLIENT_ID and a client secret or certificate). API tokens still work.
        </p>
      )}
    </div>
  );
}
