'use client';

import { useState, type FormEvent } from 'react';
import { MAX_BROWSE_MESSAGES } from '@/lib/kafka/topic-browser-contracts';
import { formatCount } from '../format';
import { useTopicMessages, type BrowseQuery } from '../hooks/use-topics';
import { Spinner } from '../spinner';
import { PRIMARY_BUTTON, RetryableError, SelectField, TextField } from '../wizard/form-fields';
import { MessageTable } from './message-table';
import { PartitionSelect } from './partition-select';

const MODE_LABELS = { newest: 'Newest first', offset: 'From an offset', timestamp: 'From a time' } as const;

/** Browse a topic: the newest messages, or from an offset of one partition, or from a time. */
export function MessagesPanel({ connectionId, topic, partitionCount }: { connectionId: string; topic: string; partitionCount: number }) {
  const [mode, setMode] = useState<BrowseQuery['mode']>('newest');
  const [partition, setPartition] = useState('');
  const [offset, setOffset] = useState('0');
  const [time, setTime] = useState(() => new Date(Date.now() - 3_600_000).toISOString().slice(0, 16));
  const [limit, setLimit] = useState('50');
  const [query, setQuery] = useState<BrowseQuery>({ mode: 'newest', limit: 50 });
  const messages = useTopicMessages(connectionId, topic, query);
  const needsPartition = mode === 'offset' && partition === '';

  function submit(event: FormEvent) {
    event.preventDefault();
    if (needsPartition) return;
    setQuery({
      mode,
      limit: Number(limit),
      ...(partition !== '' ? { partition: Number(partition) } : {}),
      ...(mode === 'offset' ? { offset: Math.max(0, Number(offset) || 0) } : {}),
      ...(mode === 'timestamp' ? { timestamp: new Date(`${time}Z`).toISOString() } : {}),
    });
  }

  return (
    <section aria-label="Messages" className="space-y-3">
      <form onSubmit={submit} noValidate className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3">
        <PartitionSelect id="browse-partition" value={partition} onChange={setPartition} partitionCount={partitionCount} error={needsPartition ? 'pick one to read from an offset' : undefined} />
        <SelectField id="browse-mode" label="Read" value={mode} onChange={(event) => setMode(event.target.value as BrowseQuery['mode'])}>
          {Object.entries(MODE_LABELS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </SelectField>
        {mode === 'offset' && <TextField id="browse-offset" label="Offset" inputMode="numeric" value={offset} onChange={(event) => setOffset(event.target.value)} className="w-32" />}
        {mode === 'timestamp' && <TextField id="browse-time" label="From (UTC)" type="datetime-local" value={time} onChange={(event) => setTime(event.target.value)} />}
        <SelectField id="browse-limit" label="Messages" value={limit} onChange={(event) => setLimit(event.target.value)}>
          {[20, 50, 100, 200, MAX_BROWSE_MESSAGES].map((count) => (
            <option key={count} value={count}>
              {count}
            </option>
          ))}
        </SelectField>
        <button type="submit" className={PRIMARY_BUTTON} disabled={messages.isFetching}>
          {messages.isFetching && <Spinner />}
          Show messages
        </button>
      </form>
      {messages.error && <RetryableError title="Could not read the messages" error={messages.error} onRetry={() => void messages.refetch()} />}
      {messages.data && (
        <>
          <p className="text-xs text-slate-500" data-testid="browse-summary">
            {formatCount(messages.data.messages.length)} message{messages.data.messages.length === 1 ? '' : 's'}, {describeQuery(query)} · retained offsets{' '}
            {messages.data.partitions.map((range) => (range.high > range.low ? `p${range.partition}: ${formatCount(range.low)}–${formatCount(range.high - 1)}` : `p${range.partition}: none`)).join(', ')}
          </p>
          <MessageTable messages={messages.data.messages} emptyText="No messages in this range." />
        </>
      )}
    </section>
  );
}

function describeQuery(query: BrowseQuery): string {
  const where = query.partition === undefined ? 'all partitions' : `partition ${query.partition}`;
  if (query.mode === 'offset') return `up to ${query.limit} from offset ${formatCount(query.offset ?? 0)} of ${where}`;
  if (query.mode === 'timestamp') return `up to ${query.limit} from ${query.timestamp?.replace('T', ' ').replace(':00.000Z', ' UTC')} in ${where}`;
  return `the newest ${query.limit} of ${where}`;
}
