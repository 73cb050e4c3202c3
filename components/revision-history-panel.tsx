'use client';

import { useEffect, useState } from 'react';
import type { ConnectorRevisionView } from '@/lib/connectors/revision-view';
import { BUTTON_CLASS } from './button-class';
import { ErrorBanner } from './error-banner';
import { useConnectorRevisions, useRevisionDiff, useRollBackConnector } from './hooks/use-connector-revisions';
import { RelativeTime } from './relative-time';
import { useCan } from './session-context';
import { Spinner } from './spinner';

const SECONDARY = `${BUTTON_CLASS} border-slate-300 bg-white text-slate-800 hover:enabled:bg-slate-50`;

/**
 * Every saved revision with who saved it and when, a diff between any two (the server's, field by
 * field), and a roll back that saves the chosen revision's definition as a new revision.
 */
export function RevisionHistoryPanel({ connectorId, currentRevision, enabled }: { connectorId: string; currentRevision: number; enabled: boolean }) {
  const revisions = useConnectorRevisions(connectorId, { enabled });
  const newest = revisions.data?.[0]?.revision;
  const { refetch } = revisions;
  useEffect(() => {
    // Saved elsewhere (an edit, a schema change, a roll back in another tab): the list follows the connector.
    if (newest !== undefined && newest < currentRevision) void refetch();
  }, [newest, currentRevision, refetch]);

  return (
    <section aria-labelledby="revisions-heading" data-testid="revision-history" className="space-y-2">
      <h2 id="revisions-heading" className="text-base font-semibold text-slate-900">
        Revision history {revisions.data && <span className="ml-1 text-sm font-normal text-slate-500">({revisions.data.length})</span>}
      </h2>
      {revisions.data ? (
        <RevisionHistory connectorId={connectorId} revisions={revisions.data} />
      ) : revisions.error ? (
        <ErrorBanner title="Could not load the revisions">{revisions.error.message}</ErrorBanner>
      ) : (
        <p role="status" className="text-sm text-slate-500">
          Loading revisions…
        </p>
      )}
    </section>
  );
}

function RevisionHistory({ connectorId, revisions }: { connectorId: string; revisions: ConnectorRevisionView[] }) {
  const newest = revisions[0].revision;
  const [compare, setCompare] = useState<{ from: number; to: number } | null>(null);
  const [confirming, setConfirming] = useState<number | null>(null);
  const rollBack = useRollBackConnector(connectorId);
  const mayRollBack = useCan('administer');
  // Until someone picks, the newest revision is compared with the one before it.
  const range = compare ?? { from: revisions[1]?.revision ?? newest, to: newest };

  function confirmRollBack(revision: number) {
    rollBack.mutate({ revision, expectedRevision: newest }, { onSuccess: (connector) => {
      setConfirming(null);
      setCompare({ from: revision, to: connector.revision });
    } });
  }

  return (
    <div className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <div className="max-h-80 overflow-auto">
        <table data-testid="revision-list" className="w-full text-sm">
          <thead>
            <tr className="border-b border-slate-200 text-left text-xs font-medium tracking-wide text-slate-500 uppercase">
              <th className="py-2 pr-3 font-medium">Revision</th>
              <th className="py-2 pr-3 font-medium">Saved by</th>
              <th className="hidden py-2 pr-3 font-medium sm:table-cell">When</th>
              <th className="py-2 font-medium">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {revisions.map((revision) => (
              <tr key={revision.revision} data-testid={`revision-${revision.revision}`} className="align-top">
                <td className="py-2 pr-3 font-mono tabular-nums whitespace-nowrap">
                  {revision.revision}
                  {revision.revision === newest && <span className="ml-2 rounded bg-emerald-50 px-1.5 py-0.5 font-sans text-xs text-emerald-800">current</span>}
                </td>
                <td className="py-2 pr-3 break-words text-slate-700">
                  <span data-testid="revision-actor">{revision.actor ?? <span className="text-slate-400">not recorded</span>}</span>
                  {/* Narrow screens: the time under who saved it, rather than a column of its own. */}
                  <RelativeTime at={revision.createdAt} className="block text-xs text-slate-500 sm:hidden" />
                </td>
                <td className="hidden py-2 pr-3 whitespace-nowrap text-slate-600 sm:table-cell">
                  <RelativeTime at={revision.createdAt} />
                </td>
                <td className="py-2 text-right">
                  {mayRollBack && revision.revision !== newest && (
                    <RollBackControl
                      revision={revision.revision}
                      nextRevision={newest + 1}
                      confirming={confirming === revision.revision}
                      pending={rollBack.isPending && rollBack.variables?.revision === revision.revision}
                      onAsk={() => setConfirming(revision.revision)}
                      onCancel={() => setConfirming(null)}
                      onConfirm={() => confirmRollBack(revision.revision)}
                    />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {rollBack.isError && <ErrorBanner title="Could not roll back">{rollBack.error.message}</ErrorBanner>}
      {revisions.length > 1 && <RevisionDiff connectorId={connectorId} revisions={revisions} range={range} onChange={setCompare} />}
    </div>
  );
}

function RollBackControl(props: { revision: number; nextRevision: number; confirming: boolean; pending: boolean; onAsk: () => void; onCancel: () => void; onConfirm: () => void }) {
  if (!props.confirming) {
    return (
      <button
        type="button"
        data-testid={`rollback-${props.revision}`}
        aria-label={`Roll back to revision ${props.revision}`}
        onClick={props.onAsk}
        className={`${SECONDARY} whitespace-nowrap`}
      >
        Roll back<span className="hidden sm:inline">&nbsp;to this revision</span>
      </button>
    );
  }
  return (
    <div role="alertdialog" aria-label={`Roll back to revision ${props.revision}`} className="ml-auto max-w-sm space-y-2 rounded-md border border-amber-200 bg-amber-50 p-3 text-left text-sm text-amber-950">
      <p>
        Save revision {props.nextRevision} with revision {props.revision}&apos;s definition? The workers apply it like any change; revisions in between stay in the history.
      </p>
      <div className="flex gap-2">
        <button type="button" data-testid="rollback-confirm" disabled={props.pending} onClick={props.onConfirm} className={`${BUTTON_CLASS} border-amber-700 bg-amber-600 text-white hover:enabled:bg-amber-700`}>
          {props.pending && <Spinner />}
          {props.pending ? 'Rolling back…' : `Roll back to revision ${props.revision}`}
        </button>
        <button type="button" disabled={props.pending} onClick={props.onCancel} className={SECONDARY}>
          Cancel
        </button>
      </div>
    </div>
  );
}

function formatValue(value: unknown): string {
  return value === null || value === undefined ? '—' : JSON.stringify(value);
}

function RevisionDiff(props: { connectorId: string; revisions: ConnectorRevisionView[]; range: { from: number; to: number }; onChange: (range: { from: number; to: number }) => void }) {
  const { range } = props;
  const diff = useRevisionDiff(props.connectorId, range);
  const picker = (side: 'from' | 'to', label: string) => (
    <label className="flex items-center gap-2">
      <span className="text-slate-600">{label}</span>
      <select
        data-testid={`revision-diff-${side}`}
        value={range[side]}
        onChange={(event) => props.onChange({ ...range, [side]: Number(event.target.value) })}
        className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm shadow-sm"
      >
        {props.revisions.map((revision) => (
          <option key={revision.revision} value={revision.revision}>
            revision {revision.revision}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <div className="space-y-2 border-t border-slate-200 pt-3">
      <div className="flex flex-wrap items-center gap-3 text-sm">
        {picker('from', 'Compare')}
        {picker('to', 'with')}
      </div>
      {diff.error && <ErrorBanner title="Could not compare the revisions">{diff.error.message}</ErrorBanner>}
      {diff.data && (
        <div data-testid="revision-diff" data-from={diff.data.from} data-to={diff.data.to}>
          {diff.data.changes.length === 0 ? (
            <p className="text-sm text-slate-600">
              Revisions {diff.data.from} and {diff.data.to} have the same definition.
            </p>
          ) : (
            <table className="w-full table-fixed text-xs">
              <thead>
                <tr className="text-left text-slate-500">
                  <th className="w-1/3 py-1 pr-2 font-medium">Field</th>
                  <th className="py-1 pr-2 font-medium">Revision {diff.data.from}</th>
                  <th className="py-1 font-medium">Revision {diff.data.to}</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {diff.data.changes.map((change) => (
                  <tr key={change.path} data-testid="revision-change" data-path={change.path} className="align-top">
                    <td className="py-1 pr-2 font-mono break-all text-slate-800">{change.path}</td>
                    <td className="py-1 pr-2 font-mono break-all">
                      <span className="rounded bg-red-50 px-1 text-red-800 line-through">{formatValue(change.before)}</span>
                    </td>
                    <td className="py-1 font-mono break-all">
                      <span className="rounded bg-emerald-50 px-1 text-emerald-800">{formatValue(change.after)}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </div>
  );
}
