import type { ConnectorSummaryView } from '@/lib/connectors/connector-views';
import { describeTimeToDrain, formatDuration } from './format';
import { HealthBadge } from './health-badge';

/** Is it healthy, and how far behind in time: the first thing the connector page answers. */
export function HealthSummary({ connector }: { connector: ConnectorSummaryView }) {
  const { health, lagSeconds, etaSeconds } = connector;
  return (
    <section aria-label="Health" className="flex flex-wrap items-center gap-x-8 gap-y-2 rounded-lg border border-slate-200 bg-white px-4 py-3 shadow-sm">
      <div className="flex min-w-0 flex-1 basis-72 items-center gap-3">
        <HealthBadge status={health.status} reason={health.reason} testId="connector-health" />
        <p data-testid="health-reason" className="min-w-0 text-sm text-slate-800">
          {health.reason}
        </p>
      </div>
      <dl className="flex gap-8 text-sm">
        <div>
          <dt className="text-xs text-slate-500">Behind by</dt>
          <dd data-testid="lag-seconds" className="font-mono tabular-nums text-slate-900" title="Age of the oldest record not yet written">
            {lagSeconds === null ? '—' : lagSeconds === 0 ? 'caught up' : formatDuration(lagSeconds)}
          </dd>
        </div>
        <div>
          <dt className="text-xs text-slate-500">Time to drain</dt>
          <dd data-testid="eta-seconds" className="font-mono tabular-nums text-slate-900" title="At the pace lag fell recently">
            {describeTimeToDrain(etaSeconds, connector.totalLag, health.status)}
          </dd>
        </div>
      </dl>
    </section>
  );
}
