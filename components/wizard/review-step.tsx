'use client';

import { CopyButton } from '../copy-button';
import { ErrorBanner } from '../error-banner';
import { useApplyTarget, usePlan, useSaveConnector, type CommandResult, type PlannedCommand } from '../hooks/use-wizard-plan';
import { Spinner } from '../spinner';
import { LoadingNote, PRIMARY_BUTTON, RetryableError, StepSection } from './form-fields';
import { toDefinition, type WizardDraft } from './wizard-draft';

/**
 * The exact KQL and definition, then Create: the target commands first (each result shown),
 * the connector only once the target is ready, so a refused command leaves no connector behind.
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
  const save = useSaveConnector(existing);
  const running = apply.isPending || save.isPending;

  async function create() {
    if (!plan.data) return;
    apply.reset();
    save.reset();
    const applied = await apply.mutateAsync(plan.data.definition);
    if (applied.failed) return;
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
        title="KQL that will run on the target"
        description={`Against database ${definition.target.database}, in this order; every command is idempotent.`}
        actions={<CopyButton text={kql} label="Copy KQL" />}
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
      {apply.data?.failed && (
        <ErrorBanner title="A command failed on the target; no connector was saved">Fix the cause shown above, then create again.</ErrorBanner>
      )}
      {apply.isError && <RetryableError title="Could not run the commands on the target" error={apply.error} onRetry={() => void create().catch(() => undefined)} />}
      {save.isError && <RetryableError title="The target is ready, but the connector was not saved" error={save.error} onRetry={() => void create().catch(() => undefined)} />}
      <div className="flex flex-wrap items-center justify-end gap-3">
        <span role="status" className="text-sm text-slate-600">
          {apply.isPending && 'Running the commands on the target…'}
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
