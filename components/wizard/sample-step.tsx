'use client';

import type { UseQueryResult } from '@tanstack/react-query';
import { useState } from 'react';
import { formatTimestamp } from '../format';
import type { SampleMessage, TopicSample } from '../hooks/use-kafka-connections';
import type { TCsvOptions } from '@/lib/connectors/connector-definition';
import type { TSampleDecodeFailure } from '@/lib/mapping/sample-decode';
import { FieldMessage, LoadingNote, RetryableError, SECONDARY_BUTTON, SelectField, StepSection, TextField } from './form-fields';
import type { FieldErrors, WizardDraft } from './wizard-draft';

const SAMPLE_LIMITS = [10, 20, 50, 100];

export function SampleStep({
  draft,
  update,
  sample,
  errors,
  failures,
  problem,
}: {
  draft: WizardDraft;
  update: (change: Partial<WizardDraft>) => void;
  sample: UseQueryResult<TopicSample>;
  errors: FieldErrors;
  /** The sampled messages the chosen format does not decode, oldest first. */
  failures: TSampleDecodeFailure[];
  /** Why the sample cannot be used at all (no message decodes), or null. */
  problem: string | null;
}) {
  const [view, setView] = useState<'pretty' | 'raw'>('pretty');
  const data = sample.data;
  const failureOf = new Map(failures.map((failure) => [`${failure.partition}:${failure.offset}`, failure.reason]));

  return (
    <StepSection
      title={`Recent messages of ${draft.topic}`}
      description="Read from the end of every partition without a consumer group, so sampling moves no offsets."
      actions={
        <>
          <SelectField
            id="sample-limit"
            label="Messages"
            value={String(draft.sampleLimit)}
            onChange={(event) => update({ sampleLimit: Number(event.target.value) })}
            className="w-36 [&_label]:sr-only"
          >
            {SAMPLE_LIMITS.map((limit) => (
              <option key={limit} value={limit}>
                {limit} messages
              </option>
            ))}
          </SelectField>
          <button type="button" onClick={() => void sample.refetch()} disabled={sample.isFetching} className={`${SECONDARY_BUTTON} mt-1`}>
            {sample.isFetching ? 'Reading…' : 'Read again'}
          </button>
        </>
      }
    >
      {sample.isPending && <LoadingNote>Reading the newest messages…</LoadingNote>}
      {sample.isError && <RetryableError title="Could not read messages from the topic" error={sample.error} onRetry={() => void sample.refetch()} />}
      {data && (
        <div className="space-y-3">
          <div className="flex flex-wrap items-center gap-3 text-sm">
            <span>
              Detected format:{' '}
              <strong data-testid="sample-format" className="font-mono">
                {data.format}
              </strong>
            </span>
            <span data-testid="sample-counts" className="text-slate-500">
              {data.messages.length} messages{failures.length > 0 && !problem && ` · ${data.messages.length - failures.length} decoded`}
            </span>
            <div role="group" aria-label="Show values" className="ml-auto inline-flex rounded-md border border-slate-300 text-xs">
              {(['pretty', 'raw'] as const).map((option) => (
                <button
                  key={option}
                  type="button"
                  aria-pressed={view === option}
                  onClick={() => setView(option)}
                  className={`px-2.5 py-1 font-medium first:rounded-l-md last:rounded-r-md ${view === option ? 'bg-slate-800 text-white' : 'bg-white text-slate-700 hover:bg-slate-50'}`}
                >
                  {option === 'pretty' ? 'Pretty' : 'Raw'}
                </button>
              ))}
            </div>
          </div>
          <FieldMessage id="sample" error={problem ?? undefined} />
          {failures.length > 0 && !problem && <DecodeFailures draft={draft} update={update} failures={failures} decodedCount={data.messages.length - failures.length} />}
          <FormatOptions draft={draft} update={update} sample={data} errors={errors} />
          <ol className="space-y-2">
            {data.messages.map((message) => (
              <SampleMessageItem key={`${message.partition}-${message.offset}`} message={message} view={view} failure={failureOf.get(`${message.partition}:${message.offset}`)} />
            ))}
          </ol>
        </div>
      )}
    </StepSection>
  );
}

/** How many undecodable messages are named with their reason; the rest are marked in the list. */
const FAILURES_NAMED = 3;

/**
 * Some messages do not decode: the columns come from the others, and the error policy decides
 * what the connector does with such records — offered here, where the user first sees them.
 */
function DecodeFailures({
  draft,
  update,
  failures,
  decodedCount,
}: {
  draft: WizardDraft;
  update: (change: Partial<WizardDraft>) => void;
  failures: TSampleDecodeFailure[];
  decodedCount: number;
}) {
  const policy = draft.errorPolicy.onDecodeError;
  const dlqTopic = draft.errorPolicy.dlqTopic || `${draft.topic}.dlq`;
  return (
    <div role="status" data-testid="decode-failures" className="space-y-2 rounded-md border border-amber-300 bg-amber-50 px-3 py-3 text-sm text-amber-950">
      <p className="font-semibold">
        {failures.length === 1 ? '1 message' : `${failures.length} messages`} could not be decoded as {draft.format.toUpperCase()}
      </p>
      <ul className="space-y-0.5 text-xs">
        {failures.slice(0, FAILURES_NAMED).map((failure) => (
          <li key={`${failure.partition}:${failure.offset}`}>
            <span className="font-mono">
              partition {failure.partition}, offset {failure.offset}
            </span>
            : {failure.reason}
          </li>
        ))}
        {failures.length > FAILURES_NAMED && <li>…and {failures.length - FAILURES_NAMED} more, marked in the list below.</li>}
      </ul>
      <p>
        The columns are inferred from the {decodedCount} that decode.{' '}
        {policy === 'fail' && 'With the error policy “Fail the connector”, the connector stops at the first record like these.'}
        {policy === 'skip' && 'The error policy skips records like these (counted and logged).'}
        {policy === 'dlq' && `The error policy sends records like these to the dead-letter topic ${dlqTopic}.`}
      </p>
      <div className="flex flex-wrap items-center gap-2">
        {policy !== 'skip' && (
          <button type="button" onClick={() => update({ errorPolicy: { ...draft.errorPolicy, onDecodeError: 'skip' } })} className={SECONDARY_BUTTON}>
            Skip such records
          </button>
        )}
        {policy !== 'dlq' && (
          <button type="button" onClick={() => update({ errorPolicy: { onDecodeError: 'dlq', dlqTopic } })} className={SECONDARY_BUTTON}>
            Send them to {dlqTopic}
          </button>
        )}
        {policy !== 'fail' && <span className="text-xs">Set for the Policies step, where it can be changed.</span>}
      </div>
    </div>
  );
}

const DELIMITERS: { value: TCsvOptions['delimiter']; label: string }[] = [
  { value: ',', label: 'Comma ,' },
  { value: ';', label: 'Semicolon ;' },
  { value: '\t', label: 'Tab' },
  { value: '|', label: 'Pipe |' },
];

/** How the values are read: detected from the sample, changeable here (CSV's layout; Avro's schema from the registry). */
function FormatOptions({ draft, update, sample, errors }: { draft: WizardDraft; update: (change: Partial<WizardDraft>) => void; sample: TopicSample; errors: FieldErrors }) {
  const csv = draft.csv;
  const setCsv = (change: Partial<TCsvOptions>) => update({ csv: { ...csv, ...change } });
  return (
    <div data-testid="format-options" className="space-y-3 rounded-md border border-slate-200 bg-slate-50 px-3 py-3">
      <SelectField
        id="record-format"
        label="Read values as"
        value={draft.format}
        onChange={(event) => update({ format: event.target.value as WizardDraft['format'] })}
        className="max-w-xs"
      >
        <option value="json">JSON objects</option>
        <option value="csv">CSV lines</option>
        <option value="avro">Avro (Confluent wire format, schema registry)</option>
      </SelectField>
      {draft.format === 'csv' && (
        <div className="grid gap-3 sm:grid-cols-3">
          <SelectField id="csv-delimiter" label="Delimiter" value={csv.delimiter} onChange={(event) => setCsv({ delimiter: event.target.value as TCsvOptions['delimiter'] })}>
            {DELIMITERS.map((delimiter) => (
              <option key={delimiter.value} value={delimiter.value}>
                {delimiter.label}
              </option>
            ))}
          </SelectField>
          <SelectField id="csv-quote" label="Quote" value={csv.quote} onChange={(event) => setCsv({ quote: event.target.value as TCsvOptions['quote'] })}>
            <option value={'"'}>Double quote &quot;</option>
            <option value="'">Single quote &apos;</option>
          </SelectField>
          <label className="flex items-center gap-2 self-end pb-2 text-sm text-slate-800">
            <input type="checkbox" checked={csv.header} onChange={(event) => setCsv({ header: event.target.checked })} />
            The topic has a header line (skipped, not a row)
          </label>
          <TextField
            id="csv-fields"
            field="csv.fields"
            label="Field names, in order"
            value={csv.fields.join(', ')}
            onChange={(event) => setCsv({ fields: event.target.value.split(',').map((field) => field.trim()) })}
            error={errors['csv.fields'] ?? Object.entries(errors).find(([field]) => field.startsWith('csv.fields.'))?.[1]}
            hint={csv.header ? 'From the header line; a line with fewer fields follows the error policy.' : 'No header line: field1…n by position; rename them here.'}
            className="sm:col-span-3"
          />
        </div>
      )}
      {draft.format === 'avro' && sample.avro && 'schemaId' in sample.avro && (
        <p data-testid="avro-schema" className="text-sm text-slate-700">
          Schema id <span className="font-mono">{sample.avro.schemaId}</span> from the connection&apos;s schema registry; each record is decoded with the schema its id names.
        </p>
      )}
    </div>
  );
}

function SampleMessageItem({ message, view, failure }: { message: SampleMessage; view: 'pretty' | 'raw'; failure: string | undefined }) {
  const headers = Object.entries(message.headers);
  return (
    <li data-testid="sample-message" className={`rounded-md border ${failure ? 'border-amber-300' : 'border-slate-200'}`}>
      {failure && (
        <p data-testid="sample-message-failure" className="border-b border-amber-200 bg-amber-50 px-3 py-1 text-xs text-amber-900">
          Not decoded: {failure}
        </p>
      )}
      <dl className="flex flex-wrap gap-x-4 gap-y-1 border-b border-slate-100 bg-slate-50 px-3 py-1.5 text-xs text-slate-600">
        <MessageMeta label="Partition" value={String(message.partition)} />
        <MessageMeta label="Offset" value={String(message.offset)} />
        <MessageMeta label="Time" value={formatTimestamp(message.timestamp)} />
        <MessageMeta label="Key" value={message.key ?? '(none)'} />
        {headers.length > 0 && <MessageMeta label="Headers" value={headers.map(([name, value]) => `${name}=${value}`).join(', ')} />}
      </dl>
      <pre className="max-h-60 overflow-auto px-3 py-2 font-mono text-xs break-all whitespace-pre-wrap text-slate-800">{showValue(message, view)}</pre>
    </li>
  );
}

function MessageMeta({ label, value }: { label: string; value: string }) {
  return (
    <div className="flex gap-1">
      <dt>{label}</dt>
      <dd className="font-mono text-slate-900">{value}</dd>
    </div>
  );
}

function showValue(message: SampleMessage, view: 'pretty' | 'raw'): string {
  if (message.decodeError) return `(Avro, not decoded) ${message.decodeError}`;
  if (message.decoded && view === 'pretty') return JSON.stringify(JSON.parse(message.decoded), null, 2);
  if (message.value === null) return message.valueBase64 ? `(binary, base64) ${message.valueBase64}` : '(null value — a tombstone)';
  if (view === 'raw') return message.value;
  try {
    return JSON.stringify(JSON.parse(message.value), null, 2);
  } catch {
    return message.value;
  }
}
