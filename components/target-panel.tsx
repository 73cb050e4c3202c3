'use client';

import { BUTTON_CLASS } from './button-class';
import { CopyButton } from './copy-button';
import { ErrorBanner } from './error-banner';
import { formatCount } from './format';
import type { ReactNode } from 'react';
import type { RowComparison, TargetView } from '@/lib/kql/target-view';
import { useReapplyTarget } from './hooks/use-connector-target';
import { useCan } from './session-context';
import { Spinner } from './spinner';

/** What landed: rows in the table against rows the workers wrote, the applied revision, and drift from the definition. */
export function TargetPanel({ connectorId, target, error }: { connectorId: string; target: TargetView | undefined; error: Error | null }) {
  const reapply = useReapplyTarget(connectorId);
  const mayReapply = useCan('administer');
  if (!target) {
    return (
      <TargetSection>
        {error ? (
          <ErrorBanner title="Could not read the target">{error.message}</ErrorBanner>
        ) : (
          <p role="status" className="text-sm text-slate-500">
            Reading the target…
          </p>
        )}
      </TargetSection>
    );
  }
  const failedResults = reapply.data?.filter((result) => !result.ok) ?? [];
  return (
    <TargetSection>
      <div className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
        <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-4">
          <TargetFact label="Table">
            <span className="font-mono">
              {target.database}.{target.table}
            </span>
          </TargetFact>
          <TargetFact label="Rows in the table">
            <span data-testid="target-row-count" className="font-mono tabular-nums">
              {target.targetRowCount === null ? '—' : formatCount(target.targetRowCount)}
            </span>
          </TargetFact>
          <TargetFact label="Rows the workers wrote">
            <span data-testid="target-rows-written" className="font-mono tabular-nums">
              {formatCount(target.rowsWritten)}
            </span>
          </TargetFact>
          <TargetFact label="KQL revision applied">
            <span data-testid="target-applied-revision" className={target.appliedRevision === target.revision ? undefined : 'text-amber-800'}>
              {target.appliedRevision ?? '—'} of {target.revision}
            </span>
          </TargetFact>
        </dl>
        <RowComparisonNote comparison={target.rowComparison} />
        {target.error && <ErrorBanner title="The target could not be inspected">{target.error}</ErrorBanner>}
        {target.drift.length === 0 ? (
          <p data-testid="target-drift" className="text-sm text-emerald-800">
            No drift: table schema, mapping and policies match the connector&apos;s definition.
          </p>
        ) : (
          <div data-testid="target-drift" className="space-y-2 rounded-md border border-amber-200 bg-amber-50 p-3">
            <p className="text-sm font-semibold text-amber-900">The target differs from the definition</p>
            <ul className="space-y-2 text-xs">
              {target.drift.map((drift) => (
                <li key={drift.what}>
                  <p className="font-medium text-amber-900">{drift.what}</p>
                  <p className="font-mono break-all text-slate-700">expected: {drift.expected}</p>
                  <p className="font-mono break-all text-slate-700">actual: {drift.actual}</p>
                </li>
              ))}
            </ul>
          </div>
        )}
        {target.ingestorOnly ? (
          <div data-testid="target-admin-kql" className="flex flex-wrap items-center gap-3 text-sm text-slate-700">
            <span>The connection may only ingest: Kastor changes nothing on the target.</span>
            {target.adminCommands.length > 0 && (
              <CopyButton text={target.adminCommands.map((command) => command.csl).join('\n')} label="Copy the KQL for an admin" />
            )}
          </div>
        ) : (
        <div className="flex flex-wrap items-center gap-3">
          <button
            type="button"
            data-testid="target-reapply"
            disabled={reapply.isPending || !mayReapply}
            title={mayReapply ? undefined : 'Re-applying the KQL needs the admin role'}
            onClick={() => reapply.mutate()}
            className={`${BUTTON_CLASS} border-slate-300 bg-white text-slate-800 hover:enabled:bg-slate-50`}
          >
            {reapply.isPending && <Spinner />}
            {reapply.isPending ? 'Re-applying…' : 'Re-apply KQL'}
          </button>
          {reapply.isSuccess && failedResults.length === 0 && (
            <p role="status" className="text-sm text-emerald-800">
              Applied {reapply.data.length} commands.
            </p>
          )}
        </div>
        )}
        {reapply.isError && <ErrorBanner title="Could not re-apply">{reapply.error.message}</ErrorBanner>}
        {failedResults.length > 0 && (
          <ErrorBanner title="Some commands failed">
            <ul className="space-y-1">
              {failedResults.map((result) => (
                <li key={result.purpose}>
                  {result.purpose}: {result.error}
                </li>
              ))}
            </ul>
          </ErrorBanner>
        )}
      </div>
    </TargetSection>
  );
}

/**
 * What the two counts say together. The workers report rows written once per metrics cycle, after
 * the rows landed, so the server only compares them when nothing was written around the count.
 */
function RowComparisonNote({ comparison }: { comparison: RowComparison }) {
  if (comparison.state === 'unavailable') return null;
  const [tone, text] =
    comparison.state === 'moving'
      ? ['text-slate-600', 'Rows are being written: the table and the workers’ count are read at different moments, so they are compared once writing pauses.']
      : comparison.difference === 0
        ? ['text-emerald-800', 'The table holds exactly the rows the workers wrote.']
        : comparison.difference > 0
          ? ['text-amber-800', `+${formatCount(comparison.difference)} in the table: rows the workers did not write (ingested by someone else), or rows written twice when records were read again after a crash (at-least-once).`]
          : ['text-amber-800', `${formatCount(-comparison.difference)} rows the workers wrote are not in the table: a queued blob that failed, or rows deleted since (purge, retention).`];
  return (
    <p data-testid="target-row-comparison" data-state={comparison.state} data-difference={comparison.state === 'settled' ? comparison.difference : undefined} className={`text-sm ${tone}`}>
      {text}
    </p>
  );
}

function TargetSection({ children }: { children: ReactNode }) {
  return (
    <section aria-labelledby="target-heading" className="space-y-2">
      <h2 id="target-heading" className="text-base font-semibold text-slate-900">
        Target
      </h2>
      {children}
    </section>
  );
}

function TargetFact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd className="text-slate-900">{children}</dd>
    </div>
  );
}
