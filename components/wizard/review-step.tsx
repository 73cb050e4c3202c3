'use client';

import { useEffect, useRef } from 'react';
import { adminCommandsOf, type TIfTargetNotReady } from '@/lib/connectors/save-steps';
import { CopyButton } from '../copy-button';
import { ErrorBanner } from '../error-banner';
import { ApiError } from '../hooks/fetch-json';
import { useKustoConnections } from '../hooks/use-kusto-connections';
import { stepsOfError, usePlan, useSaveConnector } from '../hooks/use-wizard-plan';
import { Spinner } from '../spinner';
import { DefinitionChanges } from './definition-changes';
import { LoadingNote, PRIMARY_BUTTON, RetryableError, StepSection } from './form-fields';
import { SaveStepsList } from './save-steps-list';
import { toDefinition, type WizardDraft } from './wizard-draft';

/** How long the finished steps stay on screen before the connector's page opens. */
const SHOW_STEPS_MS = 1_500;

/**
 * The exact KQL and definition (and, for an edit, what changes), then Create: one request in
 * which the server runs the target's commands, or for an ingestor-only connection checks them,
 * and saves the connector only once the target is ready. Its answer lists every step.
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
  const plan = usePlan(toDefinition(draft), existing);
  const save = useSaveConnector(existing);
  const connections = useKustoConnections();
  const ingestorOnly = connections.data?.find((connection) => connection.id === draft.kustoConnectionId)?.principalRole === 'INGESTOR';
  const savedId = save.data?.connector.id;
  const onSavedRef = useRef(onSaved);
  onSavedRef.current = onSaved;

  useEffect(() => {
    if (!savedId) return;
    const timer = setTimeout(() => onSavedRef.current(savedId), SHOW_STEPS_MS);
    return () => clearTimeout(timer);
  }, [savedId]);

  if (plan.isPending) return <LoadingNote>Generating the KQL…</LoadingNote>;
  if (plan.isError) return <RetryableError title="The connector cannot be planned" error={plan.error} onRetry={() => void plan.refetch()} />;

  const { commands, definition, changes } = plan.data;
  const kql = commands.map((command) => command.csl).join('\n\n');
  const json = JSON.stringify(definition, null, 2);
  const steps = save.data?.steps ?? stepsOfError(save.error);
  const errorCode = save.error instanceof ApiError ? save.error.code : null;
  const unchanged = changes !== null && changes.length === 0;
  const adminKql = adminCommandsOf(steps).join('\n');
  const submit = (ifTargetNotReady: TIfTargetNotReady) => save.mutate({ definition, ifTargetNotReady });
  const verb = existing ? 'Save' : 'Create';

  return (
    <div className="space-y-4">
      {existing && changes && (
        <StepSection title={`Changes against revision ${existing.revision}`} description="The fields of the definition this revision changes, before → after.">
          <DefinitionChanges changes={changes} revision={existing.revision} />
        </StepSection>
      )}
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
            <li key={`${index}-${command.purpose}`} data-testid="planned-command" data-purpose={command.purpose}>
              <span className="text-sm font-medium text-slate-800 first-letter:uppercase">{command.purpose}</span>
              <pre className="mt-1 overflow-x-auto rounded bg-slate-900 px-3 py-2 font-mono text-xs whitespace-pre-wrap break-all text-slate-100">{command.csl}</pre>
            </li>
          ))}
        </ol>
      </StepSection>
      <StepSection title="Connector definition" actions={<CopyButton text={json} label="Copy JSON" />}>
        <pre data-testid="review-definition" className="max-h-96 overflow-auto rounded bg-slate-50 p-3 font-mono text-xs text-slate-800">
          {json}
        </pre>
      </StepSection>
      {steps.length > 0 && (
        <StepSection title={save.isSuccess ? `${verb}d, step by step` : `What the ${verb.toLowerCase()} did before it stopped`}>
          <SaveStepsList steps={steps} />
        </StepSection>
      )}
      {errorCode === 'TARGET_NOT_READY' && (
        <div data-testid="verify-result" className="space-y-2 rounded-md border border-amber-200 bg-amber-50 p-3">
          <p className="text-sm font-semibold text-amber-900">The target is not ready for this connector and nothing was saved; an admin of the database must run:</p>
          <pre className="overflow-x-auto rounded bg-slate-900 px-3 py-2 font-mono text-xs whitespace-pre-wrap break-all text-slate-100">{adminKql}</pre>
          <div className="flex flex-wrap gap-3">
            <CopyButton text={adminKql} label="Copy the KQL for an admin" />
            <button type="button" onClick={() => submit('save')} disabled={save.isPending} className="text-sm text-sky-700 underline">
              {verb} anyway (it starts once the admin has run it)
            </button>
          </div>
        </div>
      )}
      {errorCode === 'TARGET_ERROR' && <ErrorBanner title="The target refused; no connector was saved">{save.error?.message}</ErrorBanner>}
      {save.isError && errorCode !== 'TARGET_NOT_READY' && errorCode !== 'TARGET_ERROR' && (
        <RetryableError title={`The connector was not ${verb.toLowerCase()}d`} error={save.error} onRetry={() => submit('refuse')} />
      )}
      <div className="flex flex-wrap items-center justify-end gap-3">
        <span role="status" className="text-sm text-slate-600">
          {save.isPending && (ingestorOnly ? 'Checking the target, then saving…' : 'Running the KQL on the target, then saving…')}
          {save.isSuccess && `${verb}d — opening the connector…`}
        </span>
        <button type="button" onClick={() => submit('refuse')} disabled={save.isPending || save.isSuccess || unchanged} className={PRIMARY_BUTTON}>
          {save.isPending && <Spinner />}
          {existing ? 'Save revision' : 'Create connector'}
        </button>
      </div>
    </div>
  );
}
