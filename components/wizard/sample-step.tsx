'use client';

import type { UseQueryResult } from '@tanstack/react-query';
import { useState } from 'react';
import { formatTimestamp } from '../format';
import type { SampleMessage, TopicSample } from '../hooks/use-kafka-connections';
import { FieldMessage, LoadingNote, RetryableError, SECONDARY_BUTTON, SelectField, StepSection } from './form-fields';
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
  if (message.value === null) return message.valueBase64 ? `(binary, base64) ${message.valueBase64}` : '(null value — a tombstone)';
  if (view === 'raw') return message.value;
  try {
    return JSON.stringify(JSON.parse(message.value), null, 2);
  } catch {
    return message.value;
  }
}
