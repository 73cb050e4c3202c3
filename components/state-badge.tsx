import { transitionLabel } from '@/lib/connectors/lifecycle-rules';

const BADGE_CLASS_BY_STATE: Record<string, string> = {
  RUNNING: 'bg-emerald-50 text-emerald-800 ring-emerald-600/30',
  PAUSED: 'bg-amber-50 text-amber-800 ring-amber-600/30',
  STOPPED: 'bg-slate-100 text-slate-700 ring-slate-500/30',
  PENDING: 'bg-sky-50 text-sky-800 ring-sky-600/30',
  STARTING: 'bg-sky-50 text-sky-800 ring-sky-600/30',
  FAILED: 'bg-red-50 text-red-800 ring-red-600/40',
};

/** The state the workers report, followed by where it is heading when that differs from what the user asked. */
export function StateBadge({ desiredState, actualState, testId }: { desiredState: string; actualState: string; testId: string }) {
  const transition = transitionLabel(desiredState, actualState);
  return (
    <span data-testid={testId} data-actual-state={actualState} data-desired-state={desiredState} className="inline-flex flex-wrap items-center gap-x-1.5 gap-y-1">
      <span
        className={`inline-flex items-center rounded-md px-2 py-0.5 text-xs font-semibold tracking-wide ring-1 ring-inset ${BADGE_CLASS_BY_STATE[actualState] ?? BADGE_CLASS_BY_STATE.STOPPED}`}
      >
        {actualState}
      </span>{' '}
      {transition && (
        <span className="inline-flex items-center gap-1 text-xs font-medium text-slate-600" title={`Requested ${desiredState}; the workers report ${actualState}`}>
          <span aria-hidden className="size-1.5 animate-pulse rounded-full bg-sky-500" />
          {transition}
        </span>
      )}
    </span>
  );
}
