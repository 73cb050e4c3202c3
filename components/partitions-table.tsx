import type { PartitionView } from '@/lib/connectors/connector-views';
import { formatCount, formatOffset } from './format';

const HEADER_CELL = 'px-4 py-2.5 text-left text-xs font-semibold uppercase tracking-wide text-slate-500';
const NUMBER_HEADER_CELL = `${HEADER_CELL} text-right`;
const NUMBER_CELL = 'px-4 py-2.5 text-right font-mono tabular-nums';

export function PartitionsTable({ partitions }: { partitions: PartitionView[] }) {
  return (
    <section aria-labelledby="partitions-heading" className="space-y-2">
      <h2 id="partitions-heading" className="text-base font-semibold text-slate-900">
        Partitions
      </h2>
      {partitions.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white px-4 py-6 text-sm text-slate-600">
          No partition has been reported yet. A worker reports offsets and lag for every partition of the connector&apos;s
          topics once it has joined the consumer group.
        </p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
          <table className="min-w-full divide-y divide-slate-200 text-sm">
            <thead className="bg-slate-50">
              <tr>
                <th scope="col" className={HEADER_CELL}>Topic</th>
                <th scope="col" className={NUMBER_HEADER_CELL}>Partition</th>
                <th scope="col" className={NUMBER_HEADER_CELL}>Committed offset</th>
                <th scope="col" className={NUMBER_HEADER_CELL}>Log-end offset</th>
                <th scope="col" className={NUMBER_HEADER_CELL}>Lag</th>
                <th scope="col" className={NUMBER_HEADER_CELL}>Rows written</th>
                <th scope="col" className={HEADER_CELL}>Worker</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {partitions.map((partition) => (
                <tr key={`${partition.topic}-${partition.partition}`} data-testid={`partition-row-${partition.topic}-${partition.partition}`}>
                  <td className="px-4 py-2.5 font-mono text-xs text-slate-700">{partition.topic}</td>
                  <td data-testid="partition" className={NUMBER_CELL}>{partition.partition}</td>
                  <td data-testid="committed-offset" className={NUMBER_CELL} title={partition.committedOffset === null ? 'No offset committed yet' : undefined}>
                    {formatOffset(partition.committedOffset)}
                  </td>
                  <td data-testid="log-end-offset" className={NUMBER_CELL}>{formatOffset(partition.logEndOffset)}</td>
                  <td data-testid="lag" className={`${NUMBER_CELL} ${partition.lag > 0 ? 'font-semibold text-slate-900' : 'text-slate-500'}`}>
                    {formatCount(partition.lag)}
                  </td>
                  <td data-testid="rows-written" className={NUMBER_CELL}>{formatCount(partition.rowsWritten)}</td>
                  <td data-testid="partition-worker" className="px-4 py-2.5 font-mono text-xs text-slate-600" title={partition.workerId ? undefined : 'No live worker holds this partition (paused, stopped or rebalancing)'}>
                    {partition.workerId ?? '—'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
