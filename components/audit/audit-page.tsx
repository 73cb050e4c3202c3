'use client';

import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import type { AuditEventView } from '@/lib/audit/audit-contracts';
import { describeChanges } from '@/lib/audit/describe-changes';
import { ErrorBanner } from '../error-banner';
import { formatTimestamp } from '../format';
import { useAuditEvents, type AuditFilters } from '../hooks/use-audit';
import { useConnectors } from '../hooks/use-connectors';
import { LoadingNote, SECONDARY_BUTTON, SelectField } from '../wizard/form-fields';

const FILTERS = ['connectorId', 'actor', 'action'] as const;

/** Who changed what and when, newest first; the filters live in the URL so a view can be linked. */
export function AuditPage() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const filters: AuditFilters = Object.fromEntries(FILTERS.flatMap((key) => (params.get(key) ? [[key, params.get(key)!]] : [])));
  const events = useAuditEvents(filters);
  const connectors = useConnectors();
  const first = events.data?.pages[0];

  function setFilter(key: (typeof FILTERS)[number], value: string) {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    router.replace(`${pathname}${next.size ? `?${next}` : ''}`);
  }

  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-xl font-semibold text-slate-900">Audit log</h1>
        <p className="mt-1 text-sm text-slate-600">Every change, by the signed-in user or API token that made it. Definitions show what changed.</p>
      </div>
      <div className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:grid-cols-3">
        <SelectField id="audit-connector" label="Connector" value={filters.connectorId ?? ''} onChange={(event) => setFilter('connectorId', event.target.value)}>
          <option value="">All connectors</option>
          {connectors.data?.map((connector) => (
            <option key={connector.id} value={connector.id}>
              {connector.name}
            </option>
          ))}
        </SelectField>
        <SelectField id="audit-actor" label="Actor" value={filters.actor ?? ''} onChange={(event) => setFilter('actor', event.target.value)}>
          <option value="">Anyone</option>
          {first?.actors.map((actor) => (
            <option key={actor} value={actor}>
              {actor}
            </option>
          ))}
        </SelectField>
        <SelectField id="audit-action" label="Action" value={filters.action ?? ''} onChange={(event) => setFilter('action', event.target.value)}>
          <option value="">Any action</option>
          {first?.actions.map((action) => (
            <option key={action} value={action}>
              {action}
            </option>
          ))}
        </SelectField>
      </div>
      {events.isPending ? (
        <LoadingNote>Loading the audit log…</LoadingNote>
      ) : events.isError ? (
        <ErrorBanner title="Could not load the audit log">{events.error.message}</ErrorBanner>
      ) : (
        <>
          <ol data-testid="audit-events" className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white shadow-sm">
            {events.data.pages.flatMap((page) => page.events).map((event) => (
              <AuditRow key={event.id} event={event} />
            ))}
            {events.data.pages[0].events.length === 0 && <li className="px-4 py-6 text-center text-sm text-slate-600">Nothing matches these filters.</li>}
          </ol>
          {events.hasNextPage && (
            <button type="button" className={SECONDARY_BUTTON} disabled={events.isFetchingNextPage} onClick={() => void events.fetchNextPage()}>
              {events.isFetchingNextPage ? 'Loading…' : 'Older events'}
            </button>
          )}
        </>
      )}
    </div>
  );
}

const KIND_LABEL = { USER: 'user', TOKEN: 'API token', SYSTEM: 'Kastor' } as const;

function AuditRow({ event }: { event: AuditEventView }) {
  const detail = (event.detail ?? {}) as Record<string, unknown>;
  const changes = 'before' in detail && 'after' in detail ? describeChanges(detail.before, detail.after) : null;
  const summary =
    typeof detail.from === 'string' && typeof detail.to === 'string'
      ? `${detail.from.toLowerCase()} → ${detail.to.toLowerCase()}`
      : typeof detail.revision === 'number'
        ? `revision ${detail.revision}`
        : typeof detail.name === 'string'
          ? String(detail.name)
          : null;
  return (
    <li data-testid="audit-event" className="grid gap-1 px-4 py-3 text-sm sm:grid-cols-[11rem_1fr]">
      <time dateTime={event.at} className="text-slate-500">
        {formatTimestamp(event.at)}
      </time>
      <div className="min-w-0 space-y-1">
        <p>
          <span className="font-medium text-slate-900">{event.actor}</span> <span className="text-xs text-slate-500">({KIND_LABEL[event.actorKind]})</span>{' '}
          <span className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-800">{event.action}</span>
          {event.connector && (
            <>
              {' '}
              <Link href={`/connectors/${event.connector.id}`} className="font-medium text-sky-700 hover:underline">
                {event.connector.name}
              </Link>
            </>
          )}
          {summary && <span className="text-slate-600"> · {summary}</span>}
        </p>
        {changes && changes.length > 0 && (
          <details>
            <summary className="cursor-pointer text-xs font-medium text-sky-700">
              {changes.length} field{changes.length === 1 ? '' : 's'} changed
            </summary>
            <table className="mt-1 w-full table-fixed text-xs">
              <tbody>
                {changes.map((change) => (
                  <tr key={change.path} className="align-top">
                    <td className="w-1/3 py-0.5 pr-2 font-mono break-all text-slate-700">{change.path}</td>
                    <td className="py-0.5 pr-2 font-mono break-all text-red-800 line-through">{change.before ?? '—'}</td>
                    <td className="py-0.5 font-mono break-all text-emerald-800">{change.after ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        )}
      </div>
    </li>
  );
}
