'use client';

import { ErrorBanner } from './error-banner';
import { decodePreview, formatCount, formatOffset } from './format';
import type { ConnectorErrorView } from '@/lib/connectors/connector-views';
import { useConnectorErrors } from './hooks/use-connector-errors';
import { RelativeTime } from './relative-time';

export function RecentErrorsList({ connectorId, enabled }: { connectorId: string; enabled: boolean }) {
  const errors = useConnectorErrors(connectorId, { enabled });
  return (
    <section aria-labelledby="recent-errors-heading" className="space-y-2">
      <h2 id="recent-errors-heading" className="text-base font-semibold text-slate-900">
        Recent errors
        {errors.data && errors.data.errors.length > 0 && <span className="ml-2 text-sm font-normal text-slate-500">({errors.data.errors.length})</span>}
      </h2>
      {errors.data && <ErrorCountsByKind counts={errors.data.countsByKind} />}
      {errors.isPending ? (
        <p role="status" className="text-sm text-slate-500">
          Loading errors…
        </p>
      ) : errors.isError && !errors.data ? (
        <ErrorBanner title="Could not load errors">{errors.error.message}</ErrorBanner>
      ) : errors.data.errors.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white px-4 py-6 text-sm text-slate-600">
          No records have failed. Records that cannot be decoded or mapped, and writes Kusto rejects, are listed here with
          their topic, partition and offset.
        </p>
      ) : (
        <ol
          aria-labelledby="recent-errors-heading"
          tabIndex={0}
          className="max-h-[32rem] divide-y divide-slate-100 overflow-y-auto rounded-lg border border-slate-200 bg-white shadow-sm"
        >
          {errors.data.errors.map((error) => (
            <RecentError key={error.id} error={error} />
          ))}
        </ol>
      )}
    </section>
  );
}

function ErrorCountsByKind({ counts }: { counts: Record<string, number> }) {
  const kinds = Object.entries(counts).filter(([, count]) => count > 0);
  if (kinds.length === 0) return null;
  return (
    <dl aria-label="Failures by kind" className="flex flex-wrap gap-2">
      {kinds.map(([kind, count]) => (
        <div key={kind} data-testid={`error-count-${kind}`} className="inline-flex items-baseline gap-1.5 rounded-md border border-slate-200 bg-white px-2 py-1 text-xs shadow-sm">
          <dt className="font-mono text-slate-600">{kind}</dt>
          <dd className="font-mono font-semibold tabular-nums text-slate-900">{formatCount(count)}</dd>
        </div>
      ))}
    </dl>
  );
}

function RecentError({ error }: { error: ConnectorErrorView }) {
  const location = error.topic === null ? null : `${error.topic}/${error.partition ?? '?'}@${formatOffset(error.offset)}`;
  return (
    <li data-testid="connector-error" className="space-y-1.5 px-4 py-3 text-sm">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <span data-testid="error-kind" className="rounded bg-red-50 px-1.5 py-0.5 font-mono text-xs font-medium text-red-800 ring-1 ring-red-600/20 ring-inset">
          {error.kind}
        </span>
        {location && (
          <span data-testid="error-location" className="font-mono text-xs text-slate-700">
            {location}
          </span>
        )}
        <RelativeTime at={error.at} className="ml-auto text-xs text-slate-500" />
      </div>
      <p data-testid="error-message" className="break-words text-slate-900">
        {error.message}
      </p>
      {error.preview !== null && (
        <div>
          <p className="text-xs text-slate-500">Record bytes (preview)</p>
          <pre data-testid="error-preview" className="mt-0.5 max-h-40 overflow-auto rounded bg-slate-50 px-2 py-1.5 font-mono text-xs break-all whitespace-pre-wrap text-slate-800">
            {decodePreview(error.preview)}
          </pre>
        </div>
      )}
    </li>
  );
}
