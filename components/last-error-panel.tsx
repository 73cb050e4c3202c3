import type { TRecordRef } from '@/lib/workers/partition-refs';
import { BUTTON_CLASS } from './button-class';
import { RelativeTime } from './relative-time';
import { Spinner } from './spinner';

/**
 * The connector's last error. When the connector failed on one record (policy "fail"), the way
 * out is offered here: skip exactly that record and restart, instead of resetting offsets.
 */
export function LastErrorPanel({
  message,
  at,
  failedRecord,
  onSkipAndRestart,
  skipping = false,
}: {
  message: string;
  at: string | null;
  failedRecord?: TRecordRef | null;
  onSkipAndRestart?: () => void;
  skipping?: boolean;
}) {
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
      {failedRecord && onSkipAndRestart && (
        <div className="mt-3 flex flex-wrap items-center gap-3">
          <button type="button" onClick={onSkipAndRestart} disabled={skipping} className={BUTTON_CLASS}>
            {skipping && <Spinner />}
            Skip {failedRecord.topic}/{failedRecord.partition}@{failedRecord.offset} and restart
          </button>
          <span className="text-xs text-red-900">
            Only this record is skipped (it stays in the errors list); everything after it is ingested. A plain Restart would fail on it again.
          </span>
        </div>
      )}
    </section>
  );
}
