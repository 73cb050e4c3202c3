'use client';

import { CopyButton } from '../copy-button';
import { ErrorBanner } from '../error-banner';
import { useKustoConnections } from '../hooks/use-kusto-connections';
import { useApplyTarget, usePlan, useSaveConnector, useVerifyTarget, type CommandResult, type PlannedCommand } from '../hooks/use-wizard-plan';
import { Spinner } from '../spinner';
import { LoadingNote, PRIMARY_BUTTON, RetryableError, StepSection } from './form-fields';
import { toDefinition, type WizardDraft } from './wizard-draft';

/**
 * The exact KQL and definition, then Create: the target commands first (each result shown),
 * the connector only once the target is ready, so a refused command leaves no connector behind.
 * An ingestor-only connection may not run them: the target is checked instead, and what is
 * missing is handed over as KQL for an admin.
 */
export function ReviewStep({
  draft,
  existing,
  onSaved,
}: {
  draft: WizardDraft;
  existing: { id: string; revision: number } | null;
  onSaved: (connectorId: string) => void;
}) {
  const plan = usePlan(toDefinition(draft));
  const apply = useApplyTarget();
  const verify = useVerifyTarget();
  const save = useSaveConnector(existing);
  const connections = useKustoConnections();
  const ingestorOnly = connections.data?.find((connection) => connection.id === draft.kustoConnectionId)?.principalRole === 'INGESTOR';
  const running = apply.isPending || verify.isPending || save.isPending;

  async function create({ force = false } = {}) {
    if (!plan.data) return;
    apply.reset();
    save.reset();
    if (ingestorOnly) {
      if (!force) {
        verify.reset();
        const verification = await verify.mutateAsync(plan.data.definition);
        if (!verification.ready) return;
      }
    } else {
      const applied = await apply.mutateAsync(plan.data.definition);
      if (applied.failed) return;
    }
    const connector = await save.mutateAsync(plan.data.definition);
    onSaved(connector.id);
  }

  if (plan.isPending) return <LoadingNote>Generating the KQL…</LoadingNote>;
  if (plan.isError) return <RetryableError title="The connector cannot be planned" error={plan.error} onRetry={() => void plan.refetch()} />;

  const { commands, definition } = plan.data;
  const kql = commands.map((command) => command.csl).join('\n\n');
  const json = JSON.stringify(definition, null, 2);
  const results = apply.data?.results;

  return (
    <div className="space-y-4">
      <StepSection
        title={ingestorOnly ? 'KQL an admin runs on the target' : 'KQL that will run on the target'}
        description={
          ingestorOnly
            ? `The connection may only ingest, so Kastor checks that database ${definition.target.database} already has this table, mapping and policies and changes nothing.`
            : `Against database ${definition.target.database}, in this order; every command is idempotent.`
        }
        actions={<CopyButton text={kql} label={ingestorOnly ? 'Copy the KQL for an admin' : 'Copy KQL'} />}
      >
        <ol className="space-y-3">
          {commands.map((command, index) => (
            <PlannedCommandItem key={command.purpose} command={command} result={results?.[index]} />
          ))}
        </ol>
      </StepSection>
      <StepSection title="Connector definition" actions={<CopyButton text={json} label="Copy JSON" />}>
        <pre data-testid="review-definition" className="max-h-96 overflow-auto rounded bg-slate-50 p-3 font-mono text-xs text-slate-800">
          {json}
        </pre>
      </StepSection>
      {verify.data && !verify.data.ready && (
        <div data-testid="verify-result" className="space-y-2 rounded-md border border-amber-200 bg-amber-50 p-3">
          <p className="text-sm font-semibold text-amber-900">The target is not ready for this connector; an admin of the database must run:</p>
          <pre className="overflow-x-auto rounded bg-slate-900 px-3 py-2 font-mono text-xs whitespace-pre-wrap break-all text-slate-100">
            {verify.data.adminCommands.map((command) => command.csl).join('\n')}
          </pre>
          <div className="flex flex-wrap gap-3">
            <CopyButton text={verify.data.adminCommands.map((command) => command.csl).join('\n')} label="Copy the KQL for an admin" />
            <button type="button" onClick={() => void create({ force: true }).catch(() => undefined)} disabled={running} className="text-sm text-sky-700 underline">
              {existing ? 'Save anyway' : 'Create anyway'} (it starts once the admin has run it)
            </button>
          </div>
        </div>
      )}
      {verify.data?.ready && verify.data.warnings.map((warning) => <p key={warning} className="text-sm text-amber-800">{warning}</p>)}
      {verify.isError && <RetryableError title="Could not read the target" error={verify.error} onRetry={() => void create().catch(() => undefined)} />}
      {apply.data?.failed && (
        <ErrorBanner title="A command failed on the target; no connector was saved">Fix the cause shown above, then create again.</ErrorBanner>
      )}
      {apply.isError && <RetryableError title="Could not run the commands on the target" error={apply.error} onRetry={() => void create().catch(() => undefined)} />}
      {save.isError && <RetryableError title="The target is ready, but the connector was not saved" error={save.error} onRetry={() => void create().catch(() => undefined)} />}
      <div className="flex flex-wrap items-center justify-end gap-3">
        <span role="status" className="text-sm text-slate-600">
          {apply.isPending && 'Running the commands on the target…'}
          {verify.isPending && 'Checking the target…'}
          {save.isPending && (existing ? 'Saving the new revision…' : 'Saving the connector…')}
          {save.isSuccess && 'Opening the connector…'}
        </span>
        <button type="button" onClick={() => void create().catch(() => undefined)} disabled={running || save.isSuccess} className={PRIMARY_BUTTON}>
          {running && <Spinner />}
          {existing ? 'Save revision' : 'Create connector'}
        </button>
      </div>
    </div>
  );
}

function PlannedCommandItem({ command, result }: { command: PlannedCommand; result: CommandResult | undefined }) {
  return (
    <li data-testid="planned-command" data-purpose={command.purpose}>
      <div className="flex items-center gap-2 text-sm">
        <span className="font-medium text-slate-800 first-letter:uppercase">{command.purpose}</span>
        {result && (
          <span
            data-testid="command-result"
            className={`rounded px-1.5 py-0.5 text-xs font-medium ring-1 ring-inset ${result.ok ? 'bg-emerald-50 text-emerald-800 ring-emerald-600/20' : 'bg-red-50 text-red-800 ring-red-600/20'}`}
          >
            {result.ok ? '✓ done' : '✗ failed'}
          </span>
        )}
      </div>
      <pre className="mt-1 overflow-x-auto rounded bg-slate-900 px-3 py-2 font-mono text-xs whitespace-pre-wrap break-all text-slate-100">{command.csl}</pre>
      {result?.error && <p className="mt-1 text-sm break-words text-red-800">{result.error}</p>}
    </li>
  );
}
