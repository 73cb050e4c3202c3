import type { HealthStatus } from '@/lib/health/evaluate-health';

const HEALTH_CLASS: Record<HealthStatus, string> = {
  OK: 'bg-emerald-50 text-emerald-800 ring-emerald-600/30',
  PAUSED: 'bg-sky-50 text-sky-800 ring-sky-600/30',
  WARN: 'bg-amber-50 text-amber-800 ring-amber-600/40',
  STALL: 'bg-orange-50 text-orange-800 ring-orange-600/40',
  STOP: 'bg-slate-100 text-slate-700 ring-slate-500/40',
  ERROR: 'bg-red-50 text-red-800 ring-red-600/40',
};

/** Burrow-style health; the reason is the tooltip here and spelled out wherever there is room. */
export function HealthBadge({ status, reason, testId }: { status: HealthStatus; reason: string; testId: string }) {
  return (
    <span
      data-testid={testId}
      data-health={status}
      title={reason}
      className={`inline-flex items-center rounded-md px-2 py-0.5 text-xs font-semibold tracking-wide ring-1 ring-inset ${HEALTH_CLASS[status]}`}
    >
      {status}
    </span>
  );
}
