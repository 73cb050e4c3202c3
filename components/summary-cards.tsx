import type { ConnectorDetailView } from '@/lib/connectors/connector-views';
import { describeLagTrend, formatBytes, formatCount, formatRate } from './format';

interface SummaryCardProps {
  label: string;
  value: string;
  testId: string;
  title?: string;
  hint?: string | null;
}

function SummaryCard({ label, value, testId, title, hint }: SummaryCardProps) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white px-4 py-3 shadow-sm">
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
      <dd data-testid={testId} title={title} className="mt-1 font-mono text-2xl font-semibold tabular-nums text-slate-900">
        {value}
      </dd>
      {hint && <dd className="mt-0.5 text-xs text-slate-500">{hint}</dd>}
    </div>
  );
}

export function SummaryCards({ connector }: { connector: ConnectorDetailView }) {
  return (
    <dl aria-label="Summary" className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5">
      <SummaryCard label="Total lag" testId="total-lag" value={formatCount(connector.totalLag)} hint={describeLagTrend(connector.lagTrend, connector.actualState)} />
      <SummaryCard label="Rows/s" testId="rows-per-second" value={formatRate(connector.rowsPerSecond)} hint="written to Kusto" />
      <SummaryCard
        label="Rows total"
        testId="rows-total"
        value={formatCount(connector.rowsWritten)}
        hint={
          connector.definition.delivery === 'exactly-once'
            ? 'exactly-once: no duplicates'
            : describeDuplicates(connector.duplicateRows, connector.possibleDuplicateRows)
        }
      />
      <SummaryCard
        label="Bytes written"
        testId="bytes-written"
        value={formatBytes(connector.bytesWritten)}
        title={`${formatCount(connector.bytesWritten)} bytes`}
      />
      <SummaryCard
        label="Records skipped"
        testId="records-skipped"
        value={formatCount(connector.recordsSkipped)}
        hint={connector.recordsSkipped > 0 ? 'see the errors below' : null}
      />
    </dl>
  );
}

/** At-least-once replays: rows certainly written twice, and rows a stopped worker may have landed before they were written again. */
function describeDuplicates(rows: number, possibleRows: number): string {
  if (rows === 0 && possibleRows === 0) return 'at-least-once';
  const certain = `${formatCount(rows)} written twice (replays after a crash or rebalance)`;
  return possibleRows === 0 ? certain : `${certain}; up to ${formatCount(possibleRows)} more may be (writes in flight when a worker stopped)`;
}
