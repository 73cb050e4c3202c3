'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { ConnectorActions } from './connector-actions';
import { ConnectorCharts } from './connector-charts';
import { ConnectorDefinitionPanel } from './connector-definition-panel';
import { ConnectorHeader } from './connector-header';
import { ErrorBanner } from './error-banner';
import { HealthSummary } from './health-summary';
import { isNotFound } from './hooks/fetch-json';
import { useConnectorTarget } from './hooks/use-connector-target';
import { useConnector, useConnectorAction } from './hooks/use-connectors';
import { LastErrorPanel } from './last-error-panel';
import { LiveStatus } from './live-status';
import { ConversionsPanel, SchemaChangesPanel, TopicsPanel } from './ingestion-breadth-panels';
import { IngestionPanel } from './ingestion-panel';
import { PartitionsTable } from './partitions-table';
import { RecentErrorsList } from './recent-errors-list';
import { ResetOffsetsPanel } from './reset-offsets-panel';
import { RevisionHistoryPanel } from './revision-history-panel';
import { SampleQueryPanel } from './sample-query-panel';
import { useCan } from './session-context';
import { SummaryCards } from './summary-cards';
import { TargetPanel } from './target-panel';

export function ConnectorPage({ id }: { id: string }) {
  const router = useRouter();
  const action = useConnectorAction(id);
  const deleted = action.isSuccess && action.variables === 'delete';
  const connector = useConnector(id, { enabled: !deleted });
  // The sub-resources are asked for only once the connector is known to exist.
  const loaded = !deleted && connector.data !== undefined && !isNotFound(connector.error);
  const target = useConnectorTarget(id, { enabled: loaded });
  const name = connector.data?.name;
  const mayOperate = useCan('operate');

  useEffect(() => {
    if (deleted) router.replace('/');
  }, [deleted, router]);

  useEffect(() => {
    if (name) document.title = `${name} · Kastor`;
  }, [name]);

  if (deleted) {
    return (
      <p role="status" className="text-sm text-slate-600">
        Connector deleted. Returning to the connectors…
      </p>
    );
  }
  if (isNotFound(connector.error)) return <ConnectorNotFound id={id} />;
  if (connector.isPending) {
    return (
      <p role="status" className="rounded-lg border border-slate-200 bg-white px-4 py-10 text-center text-sm text-slate-500">
        Loading connector…
      </p>
    );
  }
  if (!connector.data) return <ErrorBanner title="Could not load the connector">{connector.error?.message}</ErrorBanner>;

  const view = connector.data;
  return (
    <div className="space-y-6">
      <Breadcrumb name={view.name} />
      <ConnectorHeader
        connector={view}
        actions={mayOperate ? <ConnectorActions connector={view} action={action} /> : <ViewerNote />}
        liveStatus={<LiveStatus updatedAt={connector.dataUpdatedAt} error={connector.error} />}
      />
      <HealthSummary connector={view} />
      {view.lastError && (
        <LastErrorPanel
          message={view.lastError}
          at={view.lastErrorAt}
          failedRecord={view.actualState === 'FAILED' && view.desiredState === 'RUNNING' ? view.failedRecord : null}
          onSkipAndRestart={mayOperate ? () => action.mutate('skip-and-restart') : undefined}
          skipping={action.isPending && action.variables === 'skip-and-restart'}
        />
      )}
      <SummaryCards connector={view} />
      <ConnectorCharts connectorId={id} enabled={loaded} />
      <SchemaChangesPanel connectorId={id} enabled={loaded} />
      <TopicsPanel connectorId={id} enabled={loaded} />
      <PartitionsTable partitions={view.partitions} />
      <ConversionsPanel connectorId={id} enabled={loaded} />
      <IngestionPanel connectorId={id} enabled={loaded} />
      <RecentErrorsList connectorId={id} enabled={loaded} />
      <TargetPanel connectorId={id} target={target.data} error={target.error} />
      {mayOperate && <SampleQueryPanel connectorId={id} target={target.data} />}
      {mayOperate && <ResetOffsetsPanel connector={view} />}
      <RevisionHistoryPanel connectorId={id} currentRevision={view.revision} enabled={loaded} />
      <ConnectorDefinitionPanel connector={view} />
    </div>
  );
}

/** What a viewer sees where the lifecycle buttons would be: why they are not there. */
function ViewerNote() {
  return (
    <p data-testid="viewer-note" className="max-w-xs text-sm text-slate-500">
      You have the viewer role: pausing, stopping, restarting, sample queries and offset resets need an operator.
    </p>
  );
}

function Breadcrumb({ name }: { name: string }) {
  return (
    <nav aria-label="Breadcrumb">
      <ol className="flex items-center gap-2 text-sm text-slate-500">
        <li>
          <Link href="/" className="text-sky-700 hover:text-sky-900 hover:underline">
            Connectors
          </Link>
        </li>
        <li aria-hidden>/</li>
        <li aria-current="page" className="truncate text-slate-700">
          {name}
        </li>
      </ol>
    </nav>
  );
}

function ConnectorNotFound({ id }: { id: string }) {
  return (
    <section className="rounded-lg border border-slate-200 bg-white px-6 py-12 text-center">
      <h1 className="text-lg font-semibold text-slate-900">Connector not found</h1>
      <p className="mt-2 text-sm text-slate-600">
        No connector has the id <span className="font-mono break-all">{id}</span>. It may have been deleted.
      </p>
      <Link href="/" className="mt-4 inline-block text-sm font-medium text-sky-700 hover:text-sky-900 hover:underline">
        Back to connectors
      </Link>
    </section>
  );
}
