import { RelativeTime } from './relative-time';

export function LastErrorPanel({ message, at }: { message: string; at: string | null }) {
  return (
    <section aria-labelledby="last-error-heading" className="rounded-lg border border-red-200 bg-red-50 px-4 py-3">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="last-error-heading" className="text-sm font-semibold text-red-900">
          Last error
        </h2>
        {at && <RelativeTime at={at} className="text-xs text-red-800" />}
      </div>
      <pre data-testid="last-error" className="mt-1 font-mono text-xs break-words whitespace-pre-wrap text-red-900">
        {message}
      </pre>
    </section>
  );
}
