'use client';

import { describeIngestionPath, type ConnectorIngestionView, type IngestionBatchView } from '@/lib/connectors/ingestion-view';
import type { ReactNode } from 'react';
import { ErrorBanner } from './error-banner';
import { formatBytes, formatCount, formatOffset } from './format';
import { useConnectorIngestion } from './hooks/use-connector-ingestion';
import { RelativeTime } from './relative-time';

const MODE_LABELS: Record<ConnectorIngestionView['mode'], string> = {
  queued: 'Queued',
  streaming: 'Streaming',
  managed: 'Managed streaming',
};

const STATUS_STYLES: Record<IngestionBatchView['status'], { label: string; className: string }> = {
  PENDING: { label: 'pending', className: 'bg-amber-50 text-amber-900 ring-amber-200' },
  SUCCEEDED: { label: 'landed', className: 'bg-emerald-50 text-emerald-900 ring-emerald-200' },
  FAILED: { label: 'failed', className: 'bg-red-50 text-red-900 ring-red-200' },
};

/**
 * How rows reach the table. Queued blobs are committed in Kafka once queued, but only become rows
 * when the Data Management service seals their batch, so "pending" and "landed" are shown apart.
 */
export function IngestionPanel({ connectorId, enabled }: { connectorId: string; enabled: boolean }) {
  const ingestion = useConnectorIngestion(connectorId, { enabled });
  return (
    <section aria-labelledby="ingestion-heading" className="space-y-3">
      <h2 id="ingestion-heading" className="text-lg font-semibold text-slate-900">
        Ingestion
      </h2>
      {ingestion.error && !ingestion.data && <ErrorBanner title="Could not read the ingestion status">{ingestion.error.message}</ErrorBanner>}
      {ingestion.data && <IngestionDetails view={ingestion.data} />}
    </section>
  );
}

function IngestionDetails({ view }: { view: ConnectorIngestionView }) {
  const queues = view.mode !== 'streaming';
  return (
    <div className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-5">
        <Fact label="Mode">
          <span data-testid="ingestion-mode">{MODE_LABELS[view.mode]}</span>
        </Fact>
        <Fact label="Last batch went through">
          <span data-testid="ingestion-last-path">{describeIngestionPath(view.lastPath)}</span>
        </Fact>
        {queues && (
          <>
            <Fact label="Pending in the service">
              <span data-testid="ingestion-pending-rows" className="font-mono tabular-nums">
                {formatCount(view.pending.rows)}
              </span>{' '}
              <span className="text-xs text-slate-500">rows in {formatCount(view.pending.blobs)} blobs</span>
            </Fact>
            <Fact label="Landed">
              <span data-testid="ingestion-landed-rows" className="font-mono tabular-nums">
                {formatCount(view.landed.rows)}
              </span>{' '}
              <span className="text-xs text-slate-500">rows in {formatCount(view.landed.blobs)} blobs</span>
            </Fact>
            <Fact label="Failed">
              <span data-testid="ingestion-failed-rows" className={`font-mono tabular-nums ${view.failed.rows > 0 ? 'text-red-800' : ''}`}>
                {formatCount(view.failed.rows)}
              </span>{' '}
              <span className="text-xs text-slate-500">rows in {formatCount(view.failed.blobs)} blobs</span>
            </Fact>
          </>
        )}
      </dl>
      {queues && view.recent.length > 0 && <RecentBlobs batches={view.recent} />}
      {queues && view.recent.length === 0 && <p className="text-sm text-slate-500">No blob queued yet.</p>}
    </div>
  );
}

function RecentBlobs({ batches }: { batches: IngestionBatchView[] }) {
  return (
    <div className="overflow-x-auto">
      <table className="min-w-full text-left text-xs">
        <caption className="sr-only">Recently queued blobs</caption>
        <thead className="text-slate-500">
          <tr>
            <th className="py-1 pr-3 font-medium">Queued</th>
            <th className="py-1 pr-3 font-medium">Partition</th>
            <th className="py-1 pr-3 font-medium">Offsets</th>
            <th className="py-1 pr-3 font-medium text-right">Rows</th>
            <th className="py-1 pr-3 font-medium text-right">Raw size</th>
            <th className="py-1 pr-3 font-medium">Status</th>
            <th className="py-1 font-medium">Detail</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {batches.map((batch) => (
            <tr key={batch.id} data-testid="ingestion-blob">
              <td className="py-1 pr-3 whitespace-nowrap">
                <RelativeTime at={batch.queuedAt} />
              </td>
              <td className="py-1 pr-3 font-mono">
                {batch.topic}/{batch.partition}
              </td>
              <td className="py-1 pr-3 font-mono whitespace-nowrap">
                {formatOffset(batch.firstOffset)}–{formatOffset(batch.lastOffset)}
              </td>
              <td className="py-1 pr-3 text-right font-mono tabular-nums">{formatCount(batch.rows)}</td>
              <td className="py-1 pr-3 text-right font-mono tabular-nums">{formatBytes(batch.rawBytes)}</td>
              <td className="py-1 pr-3">
                <span className={`rounded px-1.5 py-0.5 ring-1 ${STATUS_STYLES[batch.status].className}`}>{STATUS_STYLES[batch.status].label}</span>
              </td>
              <td className="py-1 break-all text-slate-600">
                {batch.failure ?? (batch.path === 'managed-fallback' ? `fell back to queued: ${batch.fallbackReason ?? 'unknown reason'}` : batch.blobName)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt className="text-xs font-medium text-slate-500">{label}</dt>
      <dd className="mt-0.5 text-slate-900">{children}</dd>
    </div>
  );
}
