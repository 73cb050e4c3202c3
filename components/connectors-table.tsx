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

const HEADER_CELL = 'px-3 py-2.5 text-left text-xs font-semibold uppercase tracking-wide text-slate-500';
const CELL = 'px-3 py-3 align-middle';
const NUMBER_CELL = `${CELL} text-right font-mono tabular-nums`;
// Below md the route, the rate and the error column give way; the error moves under the name.
const WIDE_ONLY = 'hidden md:table-cell';

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
  const header = (key: SortKey, label: string, numeric = false, className = '') => (
    <SortableHeader label={label} numeric={numeric} className={className} direction={sort.key === key ? (sort.descending ? 'descending' : 'ascending') : 'none'} onSort={() => sortBy(key)} />
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
      {/* Fixed column widths keep the table within a 1280 px page however long an error is; below
          the table's minimum width it scrolls inside its frame, the page does not. */}
      <div data-testid="connectors-table-frame" className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
        <table className="w-full min-w-[40rem] table-fixed divide-y divide-slate-200 text-sm md:min-w-[60rem]">
          <colgroup>
            <col className="w-10" />
            <col className="w-40 md:w-[13%]" />
            <col className="w-28" />
            <col className="w-36" />
            <col className="hidden md:table-column" />
            <col className="w-24 md:w-40" />
            <col className="hidden w-20 md:table-column" />
            <col className="w-24" />
            <col className="hidden md:table-column" />
          </colgroup>
          <thead className="bg-slate-50">
            <tr>
              <th scope="col" className="px-3 py-2.5">
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
              <th scope="col" className={`${HEADER_CELL} ${WIDE_ONLY}`}>
                Topics → Database.Table
              </th>
              {header('totalLag', 'Total lag', true)}
              {header('rowsPerSecond', 'Rows/s', true, WIDE_ONLY)}
              {header('rowsWritten', 'Rows total', true)}
              <th scope="col" className={`${HEADER_CELL} ${WIDE_ONLY}`}>
                Last error
              </th>
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

function SortableHeader(props: { label: string; numeric: boolean; className: string; direction: 'ascending' | 'descending' | 'none'; onSort: () => void }) {
  const { label, numeric, direction, onSort } = props;
  return (
    <th scope="col" aria-sort={direction} className={`${HEADER_CELL} ${numeric ? 'text-right' : ''} ${props.className}`}>
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
      <td className={CELL}>
        <input type="checkbox" aria-label={`Select ${connector.name}`} checked={selected} onChange={onToggle} />
      </td>
      <td className={CELL}>
        <Link href={`/connectors/${connector.id}`} title={connector.name} className="block truncate font-medium text-sky-700 hover:text-sky-900 hover:underline">
          {connector.name}
        </Link>
        {connector.lastError && (
          <div className="mt-1 md:hidden">
            <LastErrorCell message={connector.lastError} />
          </div>
        )}
      </td>
      <td data-testid="state" className={CELL}>
        <StateBadge testId="state-badge" desiredState={connector.desiredState} actualState={connector.actualState} />
      </td>
      <td data-testid="health" className={CELL}>
        <HealthBadge status={connector.health.status} reason={connector.health.reason} testId="health-badge" />
        {/* A failed connector's reason is its last error, shown in its own column. */}
        {connector.health.status !== 'OK' && connector.health.reason !== connector.lastError && (
          <span className="mt-1 block truncate text-xs text-slate-600" title={connector.health.reason}>
            {connector.health.reason}
          </span>
        )}
      </td>
      <td className={`${CELL} ${WIDE_ONLY}`}>
        <span className="block truncate font-mono text-xs text-slate-700" title={route}>
          {route}
        </span>
      </td>
      <td className={`${CELL} overflow-hidden text-right whitespace-nowrap`}>
        <span className="inline-flex items-center gap-2">
          <span className="hidden md:inline">
            <LagSparkline values={connector.lagSparkline} />
          </span>
          <span data-testid="total-lag" className={`font-mono tabular-nums ${connector.totalLag > 0 ? 'text-slate-900' : 'text-slate-500'}`}>
            {formatCount(connector.totalLag)}
          </span>
        </span>
      </td>
      <td data-testid="rows-per-second" className={`${NUMBER_CELL} ${WIDE_ONLY}`}>
        {formatRate(connector.rowsPerSecond)}
      </td>
      <td data-testid="rows-total" className={NUMBER_CELL}>
        {formatCount(connector.rowsWritten)}
      </td>
      <td data-testid="last-error" className={`${CELL} ${WIDE_ONLY}`}>
        {connector.lastError ? <LastErrorCell message={connector.lastError} /> : <span className="text-slate-400">—</span>}
      </td>
    </tr>
  );
}

/** One line of the error, the whole of it on hover or, for touch and keyboard, on a click. */
function LastErrorCell({ message }: { message: string }) {
  const [expanded, setExpanded] = useState(false);
  return (
    <button
      type="button"
      aria-expanded={expanded}
      title={message}
      onClick={() => setExpanded((current) => !current)}
      className={`block w-full text-left text-red-700 ${expanded ? 'break-words whitespace-normal' : 'truncate'}`}
    >
      {message}
    </button>
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
