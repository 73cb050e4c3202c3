'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState, type SyntheticEvent } from 'react';
import { findDatabase, sameNameOtherCase } from '@/lib/kusto/cluster-catalog';
import { sampleDecodeFailure, type TSampleDecodeFailure } from '@/lib/mapping/sample-decode';
import { useKafkaTopics, useTopicSample, type SampleMessage, type TopicSample } from '../hooks/use-kafka-connections';
import { useKustoDatabases } from '../hooks/use-kusto-catalog';
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
  visibleErrors,
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
  // Oldest first, so the preview reads like the topic; each message decoded as the worker would.
  const decoded = [...(sample.data?.messages ?? [])]
    .sort((a, b) => a.partition - b.partition || a.offset - b.offset)
    .map((message) => ({ message, failure: sampleDecodeFailure(message, draft.format, draft.csv) }));
  const failures: TSampleDecodeFailure[] = decoded.flatMap(({ message, failure }) => (failure === null ? [] : [{ partition: message.partition, offset: message.offset, reason: failure }]));
  // Avro records as their decoded JSON; what cannot be decoded is left out of inference and preview.
  const usable = decoded.flatMap(({ message, failure }) => {
    const text = draft.format === 'avro' ? message.decoded : message.value;
    return failure === null && text ? [{ message, text }] : [];
  });
  const samples = usable.map((entry) => entry.text);
  const sampleMetadata = usable.map(({ message }) => ({ topic: draft.topic ?? '', partition: message.partition, offset: message.offset, timestamp: message.timestamp, key: message.key, headers: message.headers }));
  const avroSchema = sample.data?.avro && 'schema' in sample.data.avro ? sample.data.avro.schema : null;

  // A sample of a newly chosen topic sets the format it was detected as; the user can change it after.
  const detected = sample.data;
  useEffect(() => {
    if (!detected || !draft.topic || draft.formatDetectedFrom === draft.topic || detected.format === 'unknown') return;
    update({ format: detected.format, ...(detected.csv ? { csv: detected.csv } : {}), formatDetectedFrom: draft.topic });
  }, [detected, draft.topic, draft.formatDetectedFrom, update]);

  // A topic kept from an import or an earlier connection must be one this connection's cluster has.
  const topics = useKafkaTopics(draft.step === 'source' ? draft.kafkaConnectionId : null);
  const topicMissing = draft.topic !== null && topics.data !== undefined && !topics.data.some((topic) => topic.name === draft.topic);

  const onTarget = draft.step === 'target' || draft.step === 'review';
  const databases = useKustoDatabases(onTarget ? draft.kustoConnectionId : null);
  const columnErrors = validateColumns(draft.columns);
  const targetFieldErrors = validateTarget(draft);
  const targetErrors = targetFieldErrors.database ? targetFieldErrors : { ...targetFieldErrors, ...databaseErrors(draft.database, databases.data) };
  // A database named by its pretty name is checked under its name; an unlisted one is not checked at all.
  const database = databases.data ? findDatabase(databases.data, draft.database)?.name : databases.isError ? draft.database : undefined;
  const checkInput = useDebouncedValue(
    Object.keys(columnErrors).length === 0 && !targetErrors.kustoConnectionId && !targetErrors.database && !targetErrors.table && database
      ? { kustoConnectionId: draft.kustoConnectionId!, database, table: draft.table, columns: toColumns(draft.columns) }
      : null,
    400,
  );
  const targetCheck = useTargetCheck(onTarget ? checkInput : null);

  const errorsByStep: Record<StepId, FieldErrors> = {
    source: validateSource(draft),
    sample: validateFormat(draft),
    schema: columnErrors,
    target: targetErrors,
    policies: validatePolicies(draft),
    review: {},
  };
  const sampleProblem = sampleBlocker(sample.data, draft.format, usable.length);
  const blockers: Partial<Record<StepId, string>> = {};
  if (draft.step === 'source' && topicMissing) blockers.source = `Choose a topic this cluster has`;
  if (draft.step === 'sample' && !sample.data) blockers.sample = sample.isError ? 'Read the sample again to continue' : 'Reading the sample…';
  else if (sampleProblem) blockers.sample = sampleProblem;
  if (draft.step === 'target') {
    if (draft.kustoConnectionId && databases.isPending) blockers.target = 'Listing the databases…';
    else if (checkInput && (targetCheck.isPending || targetCheck.isFetching)) blockers.target = 'Checking the table…';
    else if (targetCheck.data?.conflicts.length) blockers.target = 'Resolve the column type conflicts first';
    else if (targetCheck.isError) blockers.target = 'The table could not be checked';
  }
  const firstBlocked = WIZARD_STEPS.findIndex((step) => Object.keys(errorsByStep[step.id]).length > 0 || blockers[step.id]);
  const reachable = (index: number) => firstBlocked === -1 || index <= firstBlocked;
  const currentErrors = visibleErrors(errorsByStep[draft.step], draft.step, draft);
  const errorCount = Object.keys(currentErrors).length;
  const [revealed, setRevealed] = useState(0);
  const stepRef = useRef<HTMLDivElement>(null);

  // Moving between steps moves focus to the new step's heading, so keyboard and screen-reader users land on it.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    headingRef.current?.focus();
  }, [draft.step]);

  // Next pressed on a step with errors: they all show, and focus goes to the first.
  useEffect(() => {
    if (revealed > 0) stepRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [revealed]);

  function goTo(step: StepId) {
    update({ step });
  }

  function next(step: StepId) {
    if (Object.keys(errorsByStep[draft.step]).length === 0) return goTo(step);
    update((current) => ({ attemptedSteps: current.attemptedSteps.includes(current.step) ? current.attemptedSteps : [...current.attemptedSteps, current.step] }));
    setRevealed((count) => count + 1);
  }

  /** Leaving a text field, or changing a choice, marks it touched. */
  function touch(event: SyntheticEvent<HTMLElement>, only?: (element: HTMLElement) => boolean) {
    const element = event.target instanceof HTMLElement ? event.target : null;
    const field = element?.closest<HTMLElement>('[data-field]')?.dataset.field;
    if (!element || !field || (only && !only(element))) return;
    update((current) => (current.touched.includes(field) ? {} : { touched: [...current.touched, field] }));
  }

  function saved(connectorId: string) {
    discard();
    router.push(`/connectors/${connectorId}`);
  }

  const nextStep = WIZARD_STEPS[stepIndex + 1];
  const previousStep = WIZARD_STEPS[stepIndex - 1];
  const blocked = Boolean(blockers[draft.step]);

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

      <div ref={stepRef} className="space-y-5" onBlur={(event) => touch(event)} onChange={(event) => touch(event, isChoice)}>
        {draft.step === 'source' && !editing && <KafkaConnectImport draft={draft} update={update} />}
        {draft.step === 'source' && <SourceStep draft={draft} update={update} errors={currentErrors} editing={editing} />}
        {draft.step === 'sample' && <SampleStep draft={draft} update={update} sample={sample} errors={currentErrors} failures={failures} problem={sampleProblem} />}
        {draft.step === 'schema' && (
          <SchemaStep draft={draft} update={update} samples={samples} metadata={sampleMetadata} avroSchema={avroSchema} errors={currentErrors} columnsValid={Object.keys(columnErrors).length === 0} />
        )}
        {draft.step === 'target' && <TargetStep draft={draft} update={update} errors={currentErrors} check={checkInput ? targetCheck : null} editing={editing} />}
        {draft.step === 'policies' && <PoliciesStep draft={draft} update={update} errors={currentErrors} />}
        {draft.step === 'review' && <ReviewStep draft={draft} existing={existing} onSaved={saved} />}
      </div>

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
            <button type="button" onClick={() => next(nextStep.id)} disabled={blocked} className={PRIMARY_BUTTON}>
              Next: {nextStep.title} →
            </button>
          </div>
        )}
      </div>
    </div>
  );
}

const FORMAT_NAMES: Record<WizardDraft['format'], string> = { json: 'JSON objects', csv: 'CSV lines', avro: 'Avro records' };

/** Why the sample cannot be used at all: no message, or none that decodes. A few that do not decode are for the error policy. */
function sampleBlocker(sample: TopicSample | undefined, format: WizardDraft['format'], decodedCount: number): string | null {
  if (!sample) return null;
  if (sample.messages.every((message) => message.value === null && message.valueBase64 === null)) return 'The topic has no messages to learn the columns from: produce some, then read again.';
  if (format === 'avro' && sample.avro && 'error' in sample.avro) return sample.avro.error;
  if (decodedCount > 0) return null;
  if (sample.format === 'unknown') return 'No message is a JSON object, a CSV line or Confluent-framed Avro; connectors decode those three.';
  return `No sampled message decodes as ${FORMAT_NAMES[format]}; each message says why.`;
}

/** A typed database the cluster does not list: Kastor cannot create it, whatever the connection's role. */
function databaseErrors(database: string, listed: readonly { name: string; prettyName: string | null }[] | undefined): FieldErrors {
  if (!listed || !database || findDatabase(listed, database)) return {};
  const other = sameNameOtherCase(listed.map((entry) => entry.name), database);
  return {
    database:
      `${database} is not on this cluster, or this connection has no role in it. It must exist: creating a database is a cluster admin's command (.create database), which Kastor does not run.` +
      (other ? ` Names are case-sensitive: did you mean ${other}?` : ' Choose a listed one, or have it created in ADX.'),
  };
}

function isChoice(element: HTMLElement): boolean {
  return element instanceof HTMLSelectElement || (element instanceof HTMLInputElement && (element.type === 'radio' || element.type === 'checkbox'));
}
