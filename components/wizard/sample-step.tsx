'use client';

import type { UseQueryResult } from '@tanstack/react-query';
import { useState } from 'react';
import { formatTimestamp } from '../format';
import type { SampleMessage, TopicSample } from '../hooks/use-kafka-connections';
import type { TCsvOptions } from '@/lib/connectors/connector-definition';
import { FieldMessage, LoadingNote, RetryableError, SECONDARY_BUTTON, SelectField, StepSection, TextField } from './form-fields';
import type { FieldErrors, WizardDraft } from './wizard-draft';

const SAMPLE_LIMITS = [10, 20, 50, 100];

export function SampleStep({
  draft,
  update,
  sample,
  errors,
}: {
  draft: WizardDraft;
  update: (change: Partial<WizardDraft>) => void;
  sample: UseQueryResult<TopicSample>;
  errors: FieldErrors;
}) {
  const [view, setView] = useState<'pretty' | 'raw'>('pretty');
  const data = sample.data;

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
            <span className="text-slate-500">{data.messages.length} messages</span>
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
          <FieldMessage id="sample" error={errors.sample} />
          <FormatOptions draft={draft} update={update} sample={data} errors={errors} />
          <ol className="space-y-2">
            {data.messages.map((message) => (
              <SampleMessageItem key={`${message.partition}-${message.offset}`} message={message} view={view} />
            ))}
          </ol>
        </div>
      )}
    </StepSection>
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

function SampleMessageItem({ message, view }: { message: SampleMessage; view: 'pretty' | 'raw' }) {
  const headers = Object.entries(message.headers);
  return (
    <li data-testid="sample-message" className="rounded-md border border-slate-200">
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
