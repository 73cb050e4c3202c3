'use client';

import Link from 'next/link';
import { useMemo, useState } from 'react';
import type { ConnectorSummaryView } from '@/lib/connectors/connector-views';
import { HEALTH_SEVERITY } from '@/lib/health/evaluate-health';
import { BUTTON_CLASS } from './button-class';
import { ConnectorsEmptyState } from './connectors-empty-state';
import { ErrorBanner } from './error-banner';
import { formatCount, formatRate } from './format';
import { useCan } from './session-context';
import { HealthBadge } from './health-badge';
import { useBulkConnectorAction, useConnectors } from './hooks/use-connectors';
import { LagSparkline } from './lag-sparkline';
import { LiveStatus } from './live-status';
import { Spinner } from './spinner';
import { StateBadge } from './state-badge';

const HEADER_CELL = 'px-4 py-2.5 text-left text-xs font-semibold uppercase tracking-wide text-slate-500';
const CELL = 'px-4 py-3 align-middle';
const NUMBER_CELL = `${CELL} text-right font-mono tabular-nums`;

type SortKey = 'name' | 'state' | 'health' | 'totalLag' | 'rowsPerSecond' | 'rowsWritten';
interface Sort {
  key: SortKey;
  descending: boolean;
}

const SORT_VALUE: Record<SortKey, (connector: ConnectorSummaryView) => string | number> = {
  name: (connector) => connector.name,
  state: (connector) => connector.actualState,
  health: (connector) => HEALTH_SEVERITY[connector.health.status],
  totalLag: (connector) => connector.totalLag,
  rowsPerSecond: (connector) => connector.rowsPerSecond,
  rowsWritten: (connector) => connector.rowsWritten,
};

function compareBy(sort: Sort) {
  const value = SORT_VALUE[sort.key];
  return (a: ConnectorSummaryView, b: ConnectorSummaryView) => {
    const left = value(a);
    const right = value(b);
    const order = typeof left === 'number' && typeof right === 'number' ? left - right : String(left).localeCompare(String(right));
    return (sort.descending ? -order : order) || a.name.localeCompare(b.name);
  };
}

function matchesFilter(connector: ConnectorSummaryView, filter: string): boolean {
  const needle = filter.trim().toLowerCase();
  if (!needle) return true;
  const haystack = [connector.name, connector.actualState, connector.health.status, connector.target.database, connector.target.table, ...connector.topics];
  return haystack.some((text) => text.toLowerCase().includes(needle));
}

export function ConnectorsTable() {
  const connectors = useConnectors();
  const [filter, setFilter] = useState('');
  const [sort, setSort] = useState<Sort>({ key: 'name', descending: false });
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const mayOperate = useCan('operate');
  const visible = useMemo(
    () => (connectors.data ?? []).filter((connector) => matchesFilter(connector, filter)).sort(compareBy(sort)),
    [connectors.data, filter, sort],
  );

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

  const selectedVisible = visible.filter((connector) => selected.has(connector.id));
  const allSelected = visible.length > 0 && selectedVisible.length === visible.length;
  function toggle(id: string) {
    setSelected((current) => {
      const next = new Set(current);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  }
  function sortBy(key: SortKey) {
    setSort((current) => ({ key, descending: current.key === key ? !current.descending : key !== 'name' && key !== 'state' }));
  }
  const header = (key: SortKey, label: string, numeric = false) => (
    <SortableHeader label={label} numeric={numeric} direction={sort.key === key ? (sort.descending ? 'descending' : 'ascending') : 'none'} onSort={() => sortBy(key)} />
  );

  return (
    <section className="space-y-2">
      <div className="flex flex-wrap items-center gap-3">
        <input
          type="search"
          value={filter}
          onChange={(event) => setFilter(event.target.value)}
          placeholder="Filter: name, state, health, topic…"
          aria-label="Filter connectors"
          data-testid="connectors-filter"
          className="w-72 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm shadow-sm placeholder:text-slate-400"
        />
        <p className="text-sm text-slate-600">
          {visible.length === connectors.data.length
            ? connectors.data.length === 1
              ? '1 connector'
              : `${connectors.data.length} connectors`
            : `${visible.length} of ${connectors.data.length} connectors`}
        </p>
        {mayOperate && <BulkActions connectors={selectedVisible} onDone={() => setSelected(new Set())} />}
        <div className="ml-auto">
          <LiveStatus updatedAt={connectors.dataUpdatedAt} error={connectors.error} />
        </div>
      </div>
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
        <table className="min-w-full divide-y divide-slate-200 text-sm">
          <thead className="bg-slate-50">
            <tr>
              <th scope="col" className="w-10 px-4 py-2.5">
                <input
                  type="checkbox"
                  aria-label="Select every connector shown"
                  checked={allSelected}
                  onChange={() => setSelected(allSelected ? new Set() : new Set(visible.map((connector) => connector.id)))}
                />
              </th>
              {header('name', 'Name')}
              {header('state', 'State')}
              {header('health', 'Health')}
              <th scope="col" className={HEADER_CELL}>Topics → Database.Table</th>
              {header('totalLag', 'Total lag', true)}
              {header('rowsPerSecond', 'Rows/s', true)}
              {header('rowsWritten', 'Rows total', true)}
              <th scope="col" className={HEADER_CELL}>Last error</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {visible.map((connector) => (
              <ConnectorRow key={connector.id} connector={connector} selected={selected.has(connector.id)} onToggle={() => toggle(connector.id)} />
            ))}
          </tbody>
        </table>
        {visible.length === 0 && <p className="px-4 py-6 text-center text-sm text-slate-500">No connector matches “{filter}”.</p>}
      </div>
    </section>
  );
}

function SortableHeader({ label, numeric, direction, onSort }: { label: string; numeric: boolean; direction: 'ascending' | 'descending' | 'none'; onSort: () => void }) {
  return (
    <th scope="col" aria-sort={direction} className={`${HEADER_CELL} ${numeric ? 'text-right' : ''}`}>
      <button type="button" onClick={onSort} className="inline-flex items-center gap-1 uppercase hover:text-slate-800">
        {label}
        <span aria-hidden className={direction === 'none' ? 'text-slate-300' : 'text-slate-700'}>
          {direction === 'descending' ? '▼' : direction === 'ascending' ? '▲' : '↕'}
        </span>
      </button>
    </th>
  );
}

function BulkActions({ connectors, onDone }: { connectors: ConnectorSummaryView[]; onDone: () => void }) {
  const bulk = useBulkConnectorAction();
  const pausable = connectors.filter((connector) => connector.desiredState === 'RUNNING');
  const resumable = connectors.filter((connector) => connector.desiredState === 'PAUSED');
  function run(action: 'pause' | 'resume', targets: ConnectorSummaryView[]) {
    bulk.mutate({ action, connectors: targets }, { onSuccess: (failures) => failures.length === 0 && onDone() });
  }
  const pending = (action: 'pause' | 'resume') => bulk.isPending && bulk.variables?.action === action;
  const failures = bulk.data ?? [];
  return (
    <div className="flex flex-wrap items-center gap-2">
      <BulkButton action="pause" count={pausable.length} busy={bulk.isPending} pending={pending('pause')} onClick={() => run('pause', pausable)} />
      <BulkButton action="resume" count={resumable.length} busy={bulk.isPending} pending={pending('resume')} onClick={() => run('resume', resumable)} />
      {failures.length > 0 && (
        <p role="alert" className="text-xs text-red-800">
          {failures.map((failure) => `${failure.name}: ${failure.message}`).join('; ')}
        </p>
      )}
    </div>
  );
}

function ConnectorRow({ connector, selected, onToggle }: { connector: ConnectorSummaryView; selected: boolean; onToggle: () => void }) {
  const route = `${connector.topics.join(', ')} → ${connector.target.database}.${connector.target.table}`;
  return (
    <tr data-testid={`connector-row-${connector.name}`} className={selected ? 'bg-sky-50/60' : 'hover:bg-slate-50'}>
      <td className="px-4 py-3 align-middle">
        <input type="checkbox" aria-label={`Select ${connector.name}`} checked={selected} onChange={onToggle} />
      </td>
      <td className={`${CELL} whitespace-nowrap`}>
        <Link href={`/connectors/${connector.id}`} className="font-medium text-sky-700 hover:text-sky-900 hover:underline">
          {connector.name}
        </Link>
      </td>
      <td data-testid="state" className={`${CELL} whitespace-nowrap`}>
        <StateBadge testId="state-badge" desiredState={connector.desiredState} actualState={connector.actualState} />
      </td>
      <td data-testid="health" className={CELL}>
        <span className="flex items-center gap-2">
          <HealthBadge status={connector.health.status} reason={connector.health.reason} testId="health-badge" />
          {connector.health.status !== 'OK' && <span className="block max-w-48 truncate text-xs text-slate-600" title={connector.health.reason}>{connector.health.reason}</span>}
        </span>
      </td>
      <td className={CELL}>
        <span className="block max-w-72 truncate font-mono text-xs text-slate-700" title={route}>
          {route}
        </span>
      </td>
      <td className={`${CELL} text-right whitespace-nowrap`}>
        <span className="inline-flex items-center gap-2">
          <LagSparkline values={connector.lagSparkline} />
          <span data-testid="total-lag" className={`font-mono tabular-nums ${connector.totalLag > 0 ? 'text-slate-900' : 'text-slate-500'}`}>
            {formatCount(connector.totalLag)}
          </span>
        </span>
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

const BULK_LABELS = { pause: ['Pause', 'Pausing…'], resume: ['Resume', 'Resuming…'] } as const;

function BulkButton({ action, count, busy, pending, onClick }: { action: 'pause' | 'resume'; count: number; busy: boolean; pending: boolean; onClick: () => void }) {
  const [label, pendingLabel] = BULK_LABELS[action];
  return (
    <button
      type="button"
      data-testid={`bulk-${action}`}
      disabled={count === 0 || busy}
      onClick={onClick}
      className={`${BUTTON_CLASS} border-slate-300 bg-white text-slate-800 hover:enabled:bg-slate-50`}
    >
      {pending && <Spinner />}
      {pending ? pendingLabel : `${label}${count ? ` ${count}` : ''}`}
    </button>
  );
}
