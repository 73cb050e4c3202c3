'use client';

import Link from 'next/link';
import { Fragment, useState } from 'react';
import { formatCount, formatOffset } from '../format';
import { useTopicConsumerGroups } from '../hooks/use-topics';
import { LoadingNote, RetryableError } from '../wizard/form-fields';

/** Every consumer group reading the topic, Kastor's or not, with lag; refreshed every 5 s. */
export function ConsumerGroupsPanel({ connectionId, topic }: { connectionId: string; topic: string }) {
  const groups = useTopicConsumerGroups(connectionId, topic);
  const [open, setOpen] = useState<string | null>(null);
  if (groups.isPending) return <LoadingNote>Loading consumer groups…</LoadingNote>;
  if (groups.isError) return <RetryableError title="Could not read the consumer groups" error={groups.error} onRetry={() => void groups.refetch()} />;
  if (groups.data.length === 0) return <p className="rounded-md border border-dashed border-slate-300 bg-white px-4 py-6 text-center text-sm text-slate-600">No consumer group has committed offsets on this topic.</p>;
  return (
    <section aria-label="Consumer groups" className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="w-full text-left text-sm" aria-label="Consumer groups">
        <thead className="bg-slate-50 text-xs text-slate-500">
          <tr>
            <th className="px-3 py-2 font-medium">Group</th>
            <th className="px-3 py-2 font-medium">State</th>
            <th className="px-3 py-2 font-medium">Members</th>
            <th className="px-3 py-2 text-right font-medium">Lag</th>
            <th className="px-3 py-2 font-medium">Partitions</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {groups.data.map((group) => (
            <Fragment key={group.groupId}>
              <tr data-testid={`group-${group.groupId}`} className="align-top">
                <td className="px-3 py-2">
                  <span className="font-mono text-xs break-all">{group.groupId}</span>
                  {group.connector && (
                    <span className="ml-2 text-xs">
                      Kastor connector{' '}
                      <Link href={`/connectors/${group.connector.id}`} className="font-medium text-sky-700 hover:underline">
                        {group.connector.name}
                      </Link>
                    </span>
                  )}
                </td>
                <td className="px-3 py-2 text-xs">{group.state}</td>
                <td className="px-3 py-2 text-xs">{group.members}</td>
                <td data-testid="group-lag" className={`px-3 py-2 text-right font-mono text-xs ${group.totalLag > 0 ? 'text-amber-800' : 'text-emerald-700'}`}>
                  {formatCount(group.totalLag)}
                </td>
                <td className="px-3 py-2">
                  <button type="button" className="text-xs font-medium text-sky-700 hover:underline" aria-expanded={open === group.groupId} onClick={() => setOpen(open === group.groupId ? null : group.groupId)}>
                    {open === group.groupId ? 'Hide' : `${group.partitions.length} partitions`}
                  </button>
                </td>
              </tr>
              {open === group.groupId && (
                <tr>
                  <td colSpan={5} className="bg-slate-50 px-3 py-2">
                    <table className="text-xs" aria-label={`Lag of ${group.groupId}`}>
                      <thead className="text-slate-500">
                        <tr>
                          <th className="pr-6 text-left font-medium">Partition</th>
                          <th className="pr-6 text-right font-medium">Committed</th>
                          <th className="pr-6 text-right font-medium">Log end</th>
                          <th className="text-right font-medium">Lag</th>
                        </tr>
                      </thead>
                      <tbody className="font-mono">
                        {group.partitions.map((partition) => (
                          <tr key={partition.partition}>
                            <td className="pr-6">{partition.partition}</td>
                            <td className="pr-6 text-right">{formatOffset(partition.committedOffset)}</td>
                            <td className="pr-6 text-right">{formatCount(partition.logEndOffset)}</td>
                            <td className="text-right">{formatCount(partition.lag)}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </td>
                </tr>
              )}
            </Fragment>
          ))}
        </tbody>
      </table>
    </section>
  );
}
