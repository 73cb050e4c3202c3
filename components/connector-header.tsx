'use client';

import Link from 'next/link';
import type { ReactNode } from 'react';
import type { ConnectorDetailView } from '@/lib/connectors/connector-views';
import { formatAgo } from './format';
import { useNow } from './relative-time';
import { useCan } from './session-context';
import { StateBadge } from './state-badge';

export function ConnectorHeader({ connector, actions, liveStatus }: { connector: ConnectorDetailView; actions: ReactNode; liveStatus: ReactNode }) {
  const mayEdit = useCan('administer');
  return (
    <header className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
      <div className="flex flex-col gap-4 lg:flex-row lg:items-start lg:justify-between">
        <div className="min-w-0 space-y-3">
          <div className="flex flex-wrap items-center gap-3">
            <h1 className="text-xl font-semibold break-all text-slate-900">{connector.name}</h1>
            <StateBadge testId="connector-state" desiredState={connector.desiredState} actualState={connector.actualState} />
            {mayEdit && (
              <Link
                href={`/connectors/${encodeURIComponent(connector.id)}/edit`}
                data-testid="edit-connector"
                className="text-sm font-medium text-sky-700 hover:text-sky-900 hover:underline"
              >
                Edit
              </Link>
            )}
          </div>
          <dl className="flex flex-wrap gap-x-8 gap-y-2 text-sm">
            <HeaderFact label="Target">
              <span data-testid="connector-target" className="font-mono">
                {connector.target.database}.{connector.target.table}
              </span>
            </HeaderFact>
            <HeaderFact label="Topics">
              <span className="font-mono">{connector.topics.join(', ')}</span>
            </HeaderFact>
            <HeaderFact label="Revision">
              <RevisionFact applied={connector.appliedRevision} desired={connector.revision} />
            </HeaderFact>
            <HeaderFact label="Workers">
              <WorkerReportFact workers={connector.workers} />
            </HeaderFact>
          </dl>
          {liveStatus}
        </div>
        {actions}
      </div>
    </header>
  );
}

function HeaderFact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd className="break-words text-slate-800">{children}</dd>
    </div>
  );
}

function RevisionFact({ applied, desired }: { applied: number | null; desired: number }) {
  const behind = applied !== desired;
  return (
    <span data-testid="connector-revision" title="Revision the workers run / latest saved revision" className={behind ? 'text-amber-800' : undefined}>
      applied {applied ?? '—'} / desired {desired}
      {behind && <span className="ml-1 text-xs">(applying…)</span>}
    </span>
  );
}

/**
 * Whether any worker holding a share of the connector still heartbeats. An idle, caught-up
 * connector writes nothing new, but its workers' heartbeats go on: silence means none is there.
 */
function WorkerReportFact({ workers }: { workers: ConnectorDetailView['workers'] }) {
  const now = useNow();
  if (!workers.lastHeartbeatAt) return <span data-testid="worker-report" className="text-amber-800">no worker has taken it yet — is a worker running?</span>;
  if (workers.live === 0) {
    return (
      <time data-testid="worker-report" dateTime={workers.lastHeartbeatAt} className="text-amber-800">
        no worker reporting — last heartbeat {formatAgo(workers.lastHeartbeatAt, now)}
      </time>
    );
  }
  return (
    <time data-testid="worker-report" dateTime={workers.lastHeartbeatAt}>
      {workers.live} worker{workers.live === 1 ? '' : 's'} · heartbeat {formatAgo(workers.lastHeartbeatAt, now)}
    </time>
  );
}
