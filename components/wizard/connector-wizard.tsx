'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useRef } from 'react';
import { useTopicSample, type SampleMessage, type TopicSample } from '../hooks/use-kafka-connections';
import { useTargetCheck } from '../hooks/use-wizard-target';
import { LoadingNote, PRIMARY_BUTTON, SECONDARY_BUTTON } from './form-fields';
import { KafkaConnectImport } from './kafka-connect-import';
import { PoliciesStep } from './policies-step';
import { ReviewStep } from './review-step';
import { SampleStep } from './sample-step';
import { SchemaStep } from './schema-step';
import { SourceStep } from './source-step';
import { TargetStep } from './target-step';
import { useDebouncedValue } from './use-debounced-value';
import { useWizardDraft } from './use-wizard-draft';
import {
  emptyDraft,
  toColumns,
  validateColumns,
  validatePolicies,
  validateSource,
  validateTarget,
  validateFormat,
  WIZARD_STEPS,
  type FieldErrors,
  type StepId,
  type WizardDraft,
} from './wizard-draft';

interface ConnectorWizardProps {
  storageKey: string;
  initial?: () => WizardDraft;
  /** Set when editing: saving then writes a new revision of this connector. */
  existing?: { id: string; revision: number };
}

export function ConnectorWizard({ storageKey, initial = emptyDraft, existing }: ConnectorWizardProps) {
  const { draft, update, discard } = useWizardDraft(storageKey, initial);
  if (!draft) return <LoadingNote>Restoring the wizard…</LoadingNote>;
  return <WizardSteps draft={draft} update={update} discard={discard} existing={existing ?? null} />;
}

function WizardSteps({
  draft,
  update,
  discard,
  existing,
}: {
  draft: WizardDraft;
  update: ReturnType<typeof useWizardDraft>['update'];
  discard: () => void;
  existing: { id: string; revision: number } | null;
}) {
  const router = useRouter();
  const editing = existing !== null;
  const stepIndex = WIZARD_STEPS.findIndex((step) => step.id === draft.step);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const firstRender = useRef(true);

  const sample = useTopicSample(draft.kafkaConnectionId, draft.step === 'source' ? null : draft.topic, draft.sampleLimit);
  // Oldest first, so the preview reads like the topic; Avro records as their decoded JSON.
  const usable = (sample.data?.messages ?? [])
    .map((message) => ({ message, text: draft.format === 'avro' ? (message.decoded ?? null) : message.value }))
    .filter((entry): entry is { message: SampleMessage; text: string } => entry.text !== null)
    .sort((a, b) => a.message.partition - b.message.partition || a.message.offset - b.message.offset);
  const samples = usable.map((entry) => entry.text);
  const sampleMetadata = usable.map(({ message }) => ({ topic: draft.topic ?? '', partition: message.partition, offset: message.offset, timestamp: message.timestamp, key: message.key, headers: message.headers }));
  const avroSchema = sample.data?.avro && 'schema' in sample.data.avro ? sample.data.avro.schema : null;

  // A sample of a newly chosen topic sets the format it was detected as; the user can change it after.
  const detected = sample.data;
  useEffect(() => {
    if (!detected || !draft.topic || draft.formatDetectedFrom === draft.topic || detected.format === 'unknown') return;
    update({ format: detected.format, ...(detected.csv ? { csv: detected.csv } : {}), formatDetectedFrom: draft.topic });
  }, [detected, draft.topic, draft.formatDetectedFrom, update]);

  const columnErrors = validateColumns(draft.columns);
  const targetErrors = validateTarget(draft);
  const checkInput = useDebouncedValue(
    Object.keys(columnErrors).length === 0 && !targetErrors.kustoConnectionId && !targetErrors.database && !targetErrors.table
      ? { kustoConnectionId: draft.kustoConnectionId!, database: draft.database, table: draft.table, columns: toColumns(draft.columns) }
      : null,
    400,
  );
  const targetCheck = useTargetCheck(draft.step === 'target' || draft.step === 'review' ? checkInput : null);

  const errorsByStep: Record<StepId, FieldErrors> = {
    source: validateSource(draft),
    sample: { ...sampleErrors(sample.data, draft.format), ...validateFormat(draft) },
    schema: columnErrors,
    target: targetErrors,
    policies: validatePolicies(draft),
    review: {},
  };
  const blockers: Partial<Record<StepId, string>> = {};
  if (draft.step === 'sample' && !sample.data) blockers.sample = sample.isError ? 'Read the sample again to continue' : 'Reading the sample…';
  if (draft.step === 'target') {
    if (checkInput && (targetCheck.isPending || targetCheck.isFetching)) blockers.target = 'Checking the table…';
    else if (targetCheck.data?.conflicts.length) blockers.target = 'Resolve the column type conflicts first';
    else if (targetCheck.isError) blockers.target = 'The table could not be checked';
  }
  const firstBlocked = WIZARD_STEPS.findIndex((step) => Object.keys(errorsByStep[step.id]).length > 0 || blockers[step.id]);
  const reachable = (index: number) => firstBlocked === -1 || index <= firstBlocked;
  const currentErrors = errorsByStep[draft.step];
  const errorCount = Object.keys(currentErrors).length;

  // Moving between steps moves focus to the new step's heading, so keyboard and screen-reader users land on it.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    headingRef.current?.focus();
  }, [draft.step]);

  function goTo(step: StepId) {
    update({ step });
  }

  function saved(connectorId: string) {
    discard();
    router.push(`/connectors/${connectorId}`);
  }

  const nextStep = WIZARD_STEPS[stepIndex + 1];
  const previousStep = WIZARD_STEPS[stepIndex - 1];
  const blocked = errorCount > 0 || Boolean(blockers[draft.step]);

  return (
    <div className="space-y-5">
      <nav aria-label="Wizard steps">
        <ol className="flex flex-wrap gap-2">
          {WIZARD_STEPS.map((step, index) => (
            <li key={step.id}>
              <button
                type="button"
                onClick={() => goTo(step.id)}
                disabled={!reachable(index)}
                aria-current={step.id === draft.step ? 'step' : undefined}
                className={`flex items-center gap-2 rounded-full border px-3 py-1 text-sm font-medium transition-colors disabled:cursor-not-allowed disabled:opacity-50 ${
                  step.id === draft.step
                    ? 'border-sky-600 bg-sky-600 text-white'
                    : index < stepIndex
                      ? 'border-sky-200 bg-sky-50 text-sky-900 hover:enabled:bg-sky-100'
                      : 'border-slate-300 bg-white text-slate-700 hover:enabled:bg-slate-50'
                }`}
              >
                <span aria-hidden className="font-mono text-xs">
                  {index + 1}
                </span>
                {step.title}
              </button>
            </li>
          ))}
        </ol>
      </nav>

      <h2 ref={headingRef} tabIndex={-1} className="text-lg font-semibold text-slate-900 focus:outline-none">
        {stepIndex + 1}. {WIZARD_STEPS[stepIndex].title}
      </h2>

      {draft.step === 'source' && !editing && <KafkaConnectImport draft={draft} update={update} />}
      {draft.step === 'source' && <SourceStep draft={draft} update={update} errors={currentErrors} editing={editing} />}
      {draft.step === 'sample' && <SampleStep draft={draft} update={update} sample={sample} errors={currentErrors} />}
      {draft.step === 'schema' && <SchemaStep draft={draft} update={update} samples={samples} metadata={sampleMetadata} avroSchema={avroSchema} errors={currentErrors} />}
      {draft.step === 'target' && <TargetStep draft={draft} update={update} errors={currentErrors} check={checkInput ? targetCheck : null} editing={editing} />}
      {draft.step === 'policies' && <PoliciesStep draft={draft} update={update} errors={currentErrors} />}
      {draft.step === 'review' && <ReviewStep draft={draft} existing={existing} onSaved={saved} />}

      <div className="flex flex-wrap items-center gap-3 border-t border-slate-200 pt-4">
        {previousStep && (
          <button type="button" onClick={() => goTo(previousStep.id)} className={SECONDARY_BUTTON}>
            ← Back
          </button>
        )}
        <button type="button" onClick={discard} className="text-sm text-slate-500 underline-offset-2 hover:text-slate-800 hover:underline">
          {editing ? 'Discard changes' : 'Start over'}
        </button>
        {nextStep && (
          <div className="ml-auto flex items-center gap-3">
            <span data-testid="step-blocker" role="status" className="text-sm text-slate-600">
              {blockers[draft.step] ?? (errorCount > 0 ? `${errorCount === 1 ? '1 field needs' : `${errorCount} fields need`} attention` : '')}
            </span>
            <button type="button" onClick={() => goTo(nextStep.id)} disabled={blocked} className={PRIMARY_BUTTON}>
              Next: {nextStep.title} →
            </button>
          </div>
        )}
      </div>
    </div>
  );
}

function sampleErrors(sample: TopicSample | undefined, format: WizardDraft['format']): FieldErrors {
  if (!sample) return {};
  if (sample.messages.every((message) => message.value === null && message.valueBase64 === null)) return { sample: 'The topic has no messages to learn the columns from: produce some, then read again.' };
  if (sample.format === 'unknown') return { sample: 'The messages are not JSON objects, CSV lines or Confluent-framed Avro; connectors decode those three.' };
  if (format === 'avro') {
    if (sample.avro && 'error' in sample.avro) return { sample: sample.avro.error };
    if (sample.messages.every((message) => !message.decoded)) return { sample: 'No sampled record could be decoded with its schema; see each message.' };
  }
  return {};
}
