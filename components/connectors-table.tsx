'use client';

import Link from 'next/link';
import type { ConnectorSummaryView } from '@/lib/connectors/connector-views';
import { ConnectorsEmptyState } from './connectors-empty-state';
import { ErrorBanner } from './error-banner';
import { formatCount, formatRate } from './format';
import { useConnectors } from './hooks/use-connectors';
import { LiveStatus } from './live-status';
import { StateBadge } from './state-badge';

const HEADER_CELL = 'px-4 py-2.5 text-left text-xs font-semibold uppercase tracking-wide text-slate-500';
const NUMBER_HEADER_CELL = `${HEADER_CELL} text-right`;
const CELL = 'px-4 py-3 align-middle';
const NUMBER_CELL = `${CELL} text-right font-mono tabular-nums`;

export function ConnectorsTable() {
  const connectors = useConnectors();

  if (connectors.isPending) {
    return (
      <p role="status" className="rounded-lg border border-slate-200 bg-white px-4 py-10 text-center text-sm text-slate-500">
        Loading connectors…
      </p>
    );
  }
  if (connectors.isError && !connectors.data) {
    return <ErrorBanner title="Could not load connectors">{connectors.error.message}</ErrorBanner>;
  }
  if (connectors.data.length === 0) return <ConnectorsEmptyState />;

  return (
    <section className="space-y-2">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="text-sm text-slate-600">
          {connectors.data.length === 1 ? '1 connector' : `${connectors.data.length} connectors`}
        </p>
        <LiveStatus updatedAt={connectors.dataUpdatedAt} error={connectors.error} />
      </div>
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
        <table className="min-w-full divide-y divide-slate-200 text-sm">
          <thead className="bg-slate-50">
            <tr>
              <th scope="col" className={HEADER_CELL}>Name</th>
              <th scope="col" className={HEADER_CELL}>State</th>
              <th scope="col" className={HEADER_CELL}>Topics → Database.Table</th>
              <th scope="col" className={NUMBER_HEADER_CELL}>Total lag</th>
              <th scope="col" className={NUMBER_HEADER_CELL}>Rows/s</th>
              <th scope="col" className={NUMBER_HEADER_CELL}>Rows total</th>
              <th scope="col" className={HEADER_CELL}>Last error</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {connectors.data.map((connector) => (
              <ConnectorRow key={connector.id} connector={connector} />
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function ConnectorRow({ connector }: { connector: ConnectorSummaryView }) {
  const route = `${connector.topics.join(', ')} → ${connector.target.database}.${connector.target.table}`;
  return (
    <tr data-testid={`connector-row-${connector.name}`} className="hover:bg-slate-50">
      <td className={`${CELL} whitespace-nowrap`}>
        <Link href={`/connectors/${connector.id}`} className="font-medium text-sky-700 hover:text-sky-900 hover:underline">
          {connector.name}
        </Link>
      </td>
      <td data-testid="state" className={`${CELL} whitespace-nowrap`}>
        <StateBadge testId="state-badge" desiredState={connector.desiredState} actualState={connector.actualState} />
      </td>
      <td className={CELL}>
        <span className="block max-w-72 truncate font-mono text-xs text-slate-700" title={route}>
          {route}
        </span>
      </td>
      <td data-testid="total-lag" className={`${NUMBER_CELL} ${connector.totalLag > 0 ? 'text-slate-900' : 'text-slate-500'}`}>
        {formatCount(connector.totalLag)}
      </td>
      <td data-testid="rows-per-second" className={NUMBER_CELL}>
        {formatRate(connector.rowsPerSecond)}
      </td>
      <td data-testid="rows-total" className={NUMBER_CELL}>
        {formatCount(connector.rowsWritten)}
      </td>
      <td data-testid="last-error" className={CELL}>
        {connector.lastError ? (
          <span className="block max-w-80 truncate text-red-700" title={connector.lastError}>
            {connector.lastError}
          </span>
        ) : (
          <span className="text-slate-400">—</span>
        )}
      </td>
    </tr>
  );
}
