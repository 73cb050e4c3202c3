'use client';

import Link from 'next/link';
import { useState } from 'react';
import { formatCount } from '../format';
import { useKafkaConnections } from '../hooks/use-kafka-connections';
import { useTopicDetail } from '../hooks/use-topics';
import { LoadingNote, RetryableError } from '../wizard/form-fields';
import { ConsumerGroupsPanel } from './consumer-groups-panel';
import { MessagesPanel } from './messages-panel';
import { formatRetention } from './retention';
import { SearchPanel } from './search-panel';

const TABS = ['Messages', 'Search', 'Consumer groups', 'Partitions & configuration'] as const;
type Tab = (typeof TABS)[number];

/** One topic of a Kafka connection: its messages, a search, the groups reading it, its layout. */
export function TopicPage({ connectionId, topic }: { connectionId: string; topic: string }) {
  const detail = useTopicDetail(connectionId, topic);
  const connection = useKafkaConnections().data?.find((entry) => entry.id === connectionId);
  const [tab, setTab] = useState<Tab>('Messages');
  const retention = detail.data?.configs.find((config) => config.name === 'retention.ms')?.value ?? null;
  return (
    <div className="space-y-5">
      <div>
        <nav aria-label="Breadcrumb" className="text-sm text-slate-500">
          <Link href={`/topics?connection=${encodeURIComponent(connectionId)}`} className="hover:underline">
            Topics{connection ? ` · ${connection.name}` : ''}
          </Link>
        </nav>
        <h1 className="mt-1 font-mono text-xl font-semibold text-slate-900">{topic}</h1>
        {detail.data && (
          <p className="mt-1 text-sm text-slate-600" data-testid="topic-summary">
            {detail.data.partitions.length} partitions · replication factor {detail.data.replicationFactor} · {formatCount(detail.data.messages)} messages retained · retention{' '}
            {formatRetention(retention === null ? null : Number(retention))}
          </p>
        )}
      </div>
      {detail.isPending && <LoadingNote>Reading the topic…</LoadingNote>}
      {detail.isError && <RetryableError title="Could not read the topic" error={detail.error} onRetry={() => void detail.refetch()} />}
      {detail.data && (
        <>
          <div role="tablist" aria-label="Topic views" className="flex gap-1 border-b border-slate-200">
            {TABS.map((name) => (
              <button
                key={name}
                type="button"
                role="tab"
                aria-selected={tab === name}
                onClick={() => setTab(name)}
                className={`-mb-px border-b-2 px-3 py-2 text-sm font-medium ${tab === name ? 'border-sky-600 text-sky-800' : 'border-transparent text-slate-600 hover:text-slate-900'}`}
              >
                {name}
              </button>
            ))}
          </div>
          <div role="tabpanel" aria-label={tab}>
            {tab === 'Messages' && <MessagesPanel connectionId={connectionId} topic={topic} partitionCount={detail.data.partitions.length} />}
            {tab === 'Search' && <SearchPanel connectionId={connectionId} topic={topic} partitionCount={detail.data.partitions.length} />}
            {tab === 'Consumer groups' && <ConsumerGroupsPanel connectionId={connectionId} topic={topic} />}
            {tab === 'Partitions & configuration' && (
              <div className="grid gap-4 lg:grid-cols-2">
                <table className="w-full rounded-lg border border-slate-200 bg-white text-left text-sm" aria-label="Partitions">
                  <thead className="bg-slate-50 text-xs text-slate-500">
                    <tr>
                      <th className="px-3 py-2 font-medium">Partition</th>
                      <th className="px-3 py-2 font-medium">Leader</th>
                      <th className="px-3 py-2 font-medium">Replicas / ISR</th>
                      <th className="px-3 py-2 text-right font-medium">First offset</th>
                      <th className="px-3 py-2 text-right font-medium">Next offset</th>
                      <th className="px-3 py-2 text-right font-medium">Messages</th>
                    </tr>
                  </thead>
                  <tbody className="divide-y divide-slate-100 font-mono text-xs">
                    {detail.data.partitions.map((partition) => (
                      <tr key={partition.partition}>
                        <td className="px-3 py-1.5">{partition.partition}</td>
                        <td className="px-3 py-1.5">{partition.leader}</td>
                        <td className="px-3 py-1.5">
                          {partition.replicas.join(',')} / {partition.isr.join(',')}
                        </td>
                        <td className="px-3 py-1.5 text-right">{formatCount(partition.low)}</td>
                        <td className="px-3 py-1.5 text-right">{formatCount(partition.high)}</td>
                        <td className="px-3 py-1.5 text-right">{formatCount(partition.high - partition.low)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                <table className="w-full rounded-lg border border-slate-200 bg-white text-left text-sm" aria-label="Configuration">
                  <thead className="bg-slate-50 text-xs text-slate-500">
                    <tr>
                      <th className="px-3 py-2 font-medium">Config</th>
                      <th className="px-3 py-2 font-medium">Value</th>
                    </tr>
                  </thead>
                  <tbody className="divide-y divide-slate-100 text-xs">
                    {detail.data.configs.map((config) => (
                      <tr key={config.name}>
                        <td className="px-3 py-1.5 font-mono">{config.name}</td>
                        <td className="px-3 py-1.5 font-mono">
                          {config.value ?? '—'}
                          {config.isDefault && <span className="ml-2 font-sans text-slate-400">default</span>}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </div>
        </>
      )}
    </div>
  );
}
