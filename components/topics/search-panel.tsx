'use client';

import { useState, type FormEvent } from 'react';
import { MAX_SEARCH_MATCHES } from '@/lib/kafka/topic-browser-contracts';
import { formatCount } from '../format';
import { useTopicSearch, type SearchParams } from '../hooks/use-topics';
import { Spinner } from '../spinner';
import { PRIMARY_BUTTON, SECONDARY_BUTTON, SelectField, TextField } from '../wizard/form-fields';
import { MessageTable } from './message-table';
import { PartitionSelect } from './partition-select';

/** Search keys and values for a substring over the newest records, with progress as it reads. */
export function SearchPanel({ connectionId, topic, partitionCount }: { connectionId: string; topic: string; partitionCount: number }) {
  const search = useTopicSearch(connectionId, topic);
  const [q, setQ] = useState('');
  const [field, setField] = useState<SearchParams['in']>('both');
  const [partition, setPartition] = useState('');
  const [maxScan, setMaxScan] = useState('10000');
  const [submittedQuery, setSubmittedQuery] = useState('');
  const { state } = search;
  const percent = state.total > 0 ? Math.min(100, Math.round((state.scanned / state.total) * 100)) : state.done ? 100 : 0;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!q.trim()) return;
    setSubmittedQuery(q.trim());
    void search.start({ q: q.trim(), in: field, maxScan: Number(maxScan), ...(partition !== '' ? { partition: Number(partition) } : {}) });
  }

  return (
    <section aria-label="Search" className="space-y-3">
      <form onSubmit={submit} noValidate className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3">
        <TextField id="search-text" label="Find" value={q} onChange={(event) => setQ(event.target.value)} placeholder="a player id, an order number…" className="min-w-64 flex-1" />
        <SelectField id="search-in" label="In" value={field} onChange={(event) => setField(event.target.value as SearchParams['in'])}>
          <option value="both">Key or value</option>
          <option value="key">Key</option>
          <option value="value">Value</option>
        </SelectField>
        <PartitionSelect id="search-partition" value={partition} onChange={setPartition} partitionCount={partitionCount} />
        <SelectField id="search-scan" label="Newest records to read" value={maxScan} onChange={(event) => setMaxScan(event.target.value)}>
          <option value="1000">1,000</option>
          <option value="10000">10,000</option>
          <option value="100000">100,000</option>
        </SelectField>
        {state.running ? (
          <button type="button" className={SECONDARY_BUTTON} onClick={search.cancel}>
            Stop
          </button>
        ) : (
          <button type="submit" className={PRIMARY_BUTTON} disabled={!q.trim()}>
            Search
          </button>
        )}
      </form>
      {(state.running || state.done || state.scanned > 0) && (
        <div className="space-y-1" data-testid="search-progress">
          <div className="flex items-center justify-between text-xs text-slate-600">
            <span className="flex items-center gap-1.5">
              {state.running && <Spinner />}
              {state.running ? 'Searching' : state.done ? 'Done' : 'Stopped'}: read {formatCount(state.scanned)} of {formatCount(state.total)} records, {formatCount(state.matches.length)} match
              {state.matches.length === 1 ? '' : 'es'}
              {state.truncated && ` (stopped at ${MAX_SEARCH_MATCHES})`}
            </span>
            <span>{percent}%</span>
          </div>
          <div className="h-1.5 overflow-hidden rounded bg-slate-200" role="progressbar" aria-label="Search progress" aria-valuenow={percent} aria-valuemin={0} aria-valuemax={100}>
            <div className="h-full bg-sky-500 transition-[width]" style={{ width: `${percent}%` }} />
          </div>
        </div>
      )}
      {state.error && <p className="text-sm text-red-700">{state.error}</p>}
      {(state.matches.length > 0 || state.done) && (
        <MessageTable messages={state.matches} highlight={submittedQuery} emptyText={`No key or value among the records read contains "${submittedQuery}".`} />
      )}
    </section>
  );
}
