'use client';

import Link from 'next/link';
import { useRouter, useSearchParams } from 'next/navigation';
import { useMemo, useState } from 'react';
import { formatBytes, formatCount } from '../format';
import { useKafkaConnections } from '../hooks/use-kafka-connections';
import { useTopicList } from '../hooks/use-topics';
import { LoadingNote, RetryableError, SelectField, TextField } from '../wizard/form-fields';
import { formatRetention } from './retention';

/** The topics of one Kafka connection (picked here, kept in `?connection=`), filterable by name. */
export function TopicsPage() {
  const router = useRouter();
  const searchParams = useSearchParams();
  const connections = useKafkaConnections();
  const chosen = searchParams.get('connection') ?? connections.data?.[0]?.id ?? null;
  const topics = useTopicList(chosen);
  const [filter, setFilter] = useState('');
  const shown = useMemo(() => (topics.data ?? []).filter((topic) => topic.name.toLowerCase().includes(filter.trim().toLowerCase())), [topics.data, filter]);

  return (
    <div className="space-y-5">
      <div>
        <h1 className="text-xl font-semibold text-slate-900">Topics</h1>
        <p className="mt-1 text-sm text-slate-600">Browse a cluster&apos;s topics and their messages without joining any consumer group, and see every group reading them with its lag.</p>
      </div>
      {connections.isPending && <LoadingNote>Loading Kafka connections…</LoadingNote>}
      {connections.isError && <RetryableError title="Could not load the Kafka connections" error={connections.error} onRetry={() => void connections.refetch()} />}
      {connections.data?.length === 0 && (
        <p className="text-sm text-slate-600">
          No Kafka connection yet.{' '}
          <Link href="/connections?add=kafka" className="font-medium text-sky-700 hover:underline">
            Add one
          </Link>
          .
        </p>
      )}
      {connections.data && connections.data.length > 0 && (
        <div className="flex flex-wrap items-end gap-3">
          <SelectField id="topics-connection" label="Kafka connection" value={chosen ?? ''} onChange={(event) => router.replace(`/topics?connection=${encodeURIComponent(event.target.value)}`)}>
            {connections.data.map((connection) => (
              <option key={connection.id} value={connection.id}>
                {connection.name} ({connection.brokers.join(', ')})
              </option>
            ))}
          </SelectField>
          <TextField id="topics-filter" label="Filter" value={filter} onChange={(event) => setFilter(event.target.value)} placeholder="topic name contains…" />
        </div>
      )}
      {topics.isPending && chosen && <LoadingNote>Listing topics…</LoadingNote>}
      {topics.isError && <RetryableError title="Could not list the topics" error={topics.error} onRetry={() => void topics.refetch()} />}
      {topics.data && chosen && (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-left text-sm" aria-label="Topics">
            <thead className="bg-slate-50 text-xs text-slate-500">
              <tr>
                <th className="px-3 py-2 font-medium">Topic</th>
                <th className="px-3 py-2 text-right font-medium">Partitions</th>
                <th className="px-3 py-2 text-right font-medium">Replication</th>
                <th className="px-3 py-2 text-right font-medium">Messages</th>
                <th className="px-3 py-2 text-right font-medium">Size</th>
                <th className="px-3 py-2 font-medium">Retention</th>
                <th className="px-3 py-2 font-medium">Cleanup</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {shown.map((topic) => (
                <tr key={topic.name} data-testid={`topic-${topic.name}`}>
                  <td className="px-3 py-2">
                    <Link href={`/topics/${encodeURIComponent(chosen)}/${encodeURIComponent(topic.name)}`} className="font-mono text-sm font-medium text-sky-700 hover:underline">
                      {topic.name}
                    </Link>
                  </td>
                  <td className="px-3 py-2 text-right font-mono text-xs">{topic.partitions}</td>
                  <td className="px-3 py-2 text-right font-mono text-xs">{topic.replicationFactor}</td>
                  <td className="px-3 py-2 text-right font-mono text-xs">{formatCount(topic.messages)}</td>
                  <td data-testid="topic-size" className="px-3 py-2 text-right font-mono text-xs">
                    {topic.sizeBytes === null ? '—' : formatBytes(topic.sizeBytes)}
                  </td>
                  <td className="px-3 py-2 text-xs">
                    {formatRetention(topic.retentionMs)}
                    {topic.retentionBytes !== null && topic.retentionBytes >= 0 && <span className="text-slate-500"> or {formatCount(topic.retentionBytes)} bytes</span>}
                  </td>
                  <td className="px-3 py-2 font-mono text-xs">{topic.cleanupPolicy ?? '—'}</td>
                </tr>
              ))}
              {shown.length === 0 && (
                <tr>
                  <td colSpan={7} className="px-3 py-6 text-center text-sm text-slate-600">
                    {topics.data.length === 0 ? 'This cluster has no topics.' : `No topic name contains "${filter}".`}
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
