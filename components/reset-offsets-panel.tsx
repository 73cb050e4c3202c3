'use client';

import { useState } from 'react';
import type { ConnectorDetailView } from '@/lib/connectors/connector-views';
import { BUTTON_CLASS } from './button-class';
import { ErrorBanner } from './error-banner';
import { formatOffset } from './format';
import type { TResetOffsetsRequest } from '@/lib/connectors/reset-offsets-contracts';
import { useResetOffsets } from './hooks/use-connectors';
import { Spinner } from './spinner';

type ResetChoice = TResetOffsetsRequest['to'];

const CHOICES: { to: ResetChoice; label: string; hint: string }[] = [
  { to: 'earliest', label: 'Earliest', hint: 'replay everything Kafka still retains' },
  { to: 'latest', label: 'Latest', hint: 'skip what is waiting and take only new records' },
  { to: 'timestamp', label: 'A point in time', hint: 'the first record at or after it' },
];

/** Moving the consumer group's offsets is safe only while no worker consumes, so it is offered only when stopped. */
export function ResetOffsetsPanel({ connector }: { connector: ConnectorDetailView }) {
  const [choice, setChoice] = useState<ResetChoice>('earliest');
  const [localTime, setLocalTime] = useState('');
  const reset = useResetOffsets(connector.id);
  const stopped = connector.desiredState === 'STOPPED' && connector.actualState === 'STOPPED';
  const ready = stopped && (choice !== 'timestamp' || localTime !== '');

  function submit() {
    reset.mutate(choice === 'timestamp' ? { to: 'timestamp', timestamp: new Date(localTime).toISOString() } : { to: choice });
  }

  return (
    <section aria-labelledby="reset-offsets-heading" className="rounded-lg border border-slate-200 bg-white shadow-sm">
      <details className="group">
        <summary className="flex cursor-pointer list-none items-center gap-2 px-4 py-3 text-base font-semibold text-slate-900 select-none [&::-webkit-details-marker]:hidden">
          <span aria-hidden className="inline-block text-slate-400 transition-transform group-open:rotate-90">
            ▸
          </span>
          <span id="reset-offsets-heading">Reset offsets</span>
          {!stopped && <span className="text-sm font-normal text-slate-500">stop the connector first</span>}
        </summary>
        <div className="space-y-3 border-t border-slate-200 px-4 py-3 text-sm">
          <fieldset disabled={!stopped || reset.isPending} className="space-y-2">
            <legend className="sr-only">Reset the consumer group to</legend>
            {CHOICES.map((option) => (
              <label key={option.to} className="flex items-center gap-2">
                <input type="radio" name="reset-to" value={option.to} checked={choice === option.to} onChange={() => setChoice(option.to)} />
                <span className="font-medium text-slate-800">{option.label}</span>
                <span className="text-slate-500">— {option.hint}</span>
              </label>
            ))}
            {choice === 'timestamp' && (
              <input
                type="datetime-local"
                step={1}
                value={localTime}
                onChange={(event) => setLocalTime(event.target.value)}
                aria-label="Reset to this local time"
                className="ml-6 rounded-md border border-slate-300 px-2 py-1 text-sm"
              />
            )}
          </fieldset>
          <p className="text-slate-600">
            Rows already in the table stay there: records read again are ingested again, so expect duplicates in the target.
          </p>
          <button
            type="button"
            data-testid="reset-offsets"
            disabled={!ready || reset.isPending}
            title={stopped ? undefined : 'Only a stopped connector can have its offsets reset'}
            onClick={submit}
            className={`${BUTTON_CLASS} border-slate-300 bg-white text-slate-800 hover:enabled:bg-slate-50`}
          >
            {reset.isPending && <Spinner />}
            {reset.isPending ? 'Resetting…' : 'Reset offsets'}
          </button>
          {reset.isError && <ErrorBanner title="Could not reset offsets">{reset.error.message}</ErrorBanner>}
          {reset.isSuccess && (
            <div role="status" className="text-slate-700">
              <p>Offsets reset; the connector continues from these once started:</p>
              <ul className="mt-1 font-mono text-xs">
                {reset.data.map((partition) => (
                  <li key={`${partition.topic}/${partition.partition}`}>
                    {partition.topic}/{partition.partition} → {formatOffset(partition.offset)}
                  </li>
                ))}
              </ul>
            </div>
          )}
        </div>
      </details>
    </section>
  );
}
