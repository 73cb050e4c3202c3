'use client';

import Link from 'next/link';
import type { WorkerShareView, WorkerView } from '@/lib/workers/worker-views';
import { ErrorBanner } from './error-banner';
import { useWorkers } from './hooks/use-workers';
import { RelativeTime } from './relative-time';
import { StateBadge } from './state-badge';

/** Compact partition lists: "gameplay 0–3, 7". */
function describePartitions(partitions: WorkerShareView['partitions']): string {
  if (partitions.length === 0) return 'none';
  const byTopic = new Map<string, number[]>();
  for (const { topic, partition } of partitions) byTopic.set(topic, [...(byTopic.get(topic) ?? []), partition]);
  return [...byTopic.entries()]
    .map(([topic, numbers]) => {
      const sorted = [...numbers].sort((a, b) => a - b);
      const ranges: string[] = [];
      for (let i = 0; i < sorted.length; i++) {
        let j = i;
        while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
        ranges.push(i === j ? String(sorted[i]) : `${sorted[i]}–${sorted[j]}`);
        i = j;
      }
      return `${topic} ${ranges.join(', ')}`;
    })
    .join('; ');
}

/**
 * Every worker process, its heartbeat, and per connector it runs the partitions Kafka's consumer
 * group gave it. Kafka assigns the partitions; this page only shows where they went.
 */
export function WorkersTable() {
  const workers = useWorkers();
  if (workers.error && !workers.data) return <ErrorBanner title="Could not load the workers">{workers.error.message}</ErrorBanner>;
  if (!workers.data) return <p className="text-sm text-slate-500">Loading workers…</p>;
  if (workers.data.length === 0) {
    return (
      <p className="rounded-lg border border-dashed border-slate-300 bg-white px-4 py-6 text-sm text-slate-600">
        No worker is running. Start one with <code className="font-mono">node --import tsx worker/main.ts</code>; it appears here within a second.
      </p>
    );
  }
  return (
    <ul className="space-y-3">
      {workers.data.map((worker) => (
        <WorkerCard key={worker.id} worker={worker} />
      ))}
    </ul>
  );
}

function WorkerCard({ worker }: { worker: WorkerView }) {
  const partitionCount = worker.shares.reduce((sum, share) => sum + share.partitions.length, 0);
  return (
    <li data-testid="worker" data-worker-id={worker.id} className="rounded-lg border border-slate-200 bg-white shadow-sm">
      <div className="flex flex-wrap items-baseline gap-x-4 gap-y-1 border-b border-slate-100 px-4 py-3">
        <h2 className="font-mono text-sm font-semibold text-slate-900">{worker.id}</h2>
        <span className={`text-xs font-medium ${worker.live ? 'text-emerald-700' : 'text-red-700'}`}>{worker.live ? 'live' : 'not reporting'}</span>
        <span className="text-xs text-slate-500">
          heartbeat <RelativeTime at={worker.heartbeatAt} />
        </span>
        <span className="text-xs text-slate-500">
          {worker.hostname} · pid {worker.pid} · started <RelativeTime at={worker.startedAt} />
        </span>
        <span data-testid="worker-partition-count" className="ml-auto text-xs text-slate-600">
          {worker.shares.length} connectors · {partitionCount} partitions
        </span>
      </div>
      {worker.shares.length > 0 && (
        <table className="min-w-full text-sm">
          <thead className="text-left text-xs text-slate-500">
            <tr>
              <th className="px-4 py-2 font-medium">Connector</th>
              <th className="px-4 py-2 font-medium">State</th>
              <th className="px-4 py-2 font-medium">Partitions held</th>
              <th className="px-4 py-2 font-medium">Last error</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {worker.shares.map((share) => (
              <tr key={share.connectorId} data-testid="worker-share">
                <td className="px-4 py-2">
                  <Link href={`/connectors/${share.connectorId}`} className="text-sky-700 hover:underline">
                    {share.connectorName}
                  </Link>
                  <span className="ml-2 text-xs text-slate-500">rev {share.revision}</span>
                </td>
                <td className="px-4 py-2">
                  <StateBadge desiredState={share.state} actualState={share.state} testId="worker-share-state" />
                </td>
                <td data-testid="worker-share-partitions" className="px-4 py-2 font-mono text-xs text-slate-700">
                  {describePartitions(share.partitions)}
                </td>
                <td className="max-w-md px-4 py-2 text-xs break-words text-red-800">{share.lastError ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </li>
  );
}
