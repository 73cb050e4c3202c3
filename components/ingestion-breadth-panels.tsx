'use client';

import { BUTTON_CLASS } from './button-class';
import { CopyButton } from './copy-button';
import { ErrorBanner } from './error-banner';
import { formatCount } from './format';
import { useConnectorConversions, type ConversionIssueView } from './hooks/use-connector-conversions';
import { useConnectorTopics } from './hooks/use-connector-topics';
import { useApplySchemaChange, useSchemaChanges } from './hooks/use-schema-changes';
import { RelativeTime } from './relative-time';
import { useCan } from './session-context';

const PRIMARY = `${BUTTON_CLASS} border-sky-700 bg-sky-600 text-white hover:enabled:bg-sky-700`;

/** Lag, rows and errors per topic, with the table each lands in; shown when the connector reads several topics. */
export function TopicsPanel({ connectorId, enabled }: { connectorId: string; enabled: boolean }) {
  const topics = useConnectorTopics(connectorId, { enabled });
  if (!topics.data || topics.data.length < 2) return null;
  return (
    <section aria-labelledby="topics-heading" className="space-y-2">
      <h2 id="topics-heading" className="text-base font-semibold text-slate-900">
        Topics <span className="ml-1 text-sm font-normal text-slate-500">({topics.data.length})</span>
      </h2>
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
        <table data-testid="topics-table" className="w-full text-sm">
          <thead>
            <tr className="border-b border-slate-200 text-left text-xs font-medium tracking-wide text-slate-500 uppercase">
              <th className="px-4 py-2 font-medium">Topic</th>
              <th className="px-4 py-2 font-medium">Table</th>
              <th className="px-4 py-2 text-right font-medium">Partitions</th>
              <th className="px-4 py-2 text-right font-medium">Lag</th>
              <th className="px-4 py-2 text-right font-medium">Rows written</th>
              <th className="px-4 py-2 text-right font-medium">Errors</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {topics.data.map((topic) => (
              <tr key={topic.topic} data-testid={`topic-${topic.topic}`}>
                <td className="px-4 py-2 font-mono">{topic.topic}</td>
                <td className="px-4 py-2 font-mono">{topic.table}</td>
                <td className="px-4 py-2 text-right font-mono tabular-nums">{topic.partitions}</td>
                <td className={`px-4 py-2 text-right font-mono tabular-nums ${topic.lag > 0 ? 'text-amber-800' : ''}`}>{formatCount(topic.lag)}</td>
                <td className="px-4 py-2 text-right font-mono tabular-nums">{formatCount(topic.rowsWritten)}</td>
                <td className={`px-4 py-2 text-right font-mono tabular-nums ${topic.errors > 0 ? 'text-red-700' : ''}`}>{formatCount(topic.errors)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function describeIssue(issue: ConversionIssueView): string {
  if (issue.kind === 'invalid-utf8') return `${formatCount(issue.count)} record${issue.count === 1 ? '' : 's'} had bytes that are not UTF-8 (stored as U+FFFD)`;
  return `${issue.column}: ${formatCount(issue.count)} value${issue.count === 1 ? '' : 's'} did not fit ${issue.columnType}`;
}

/**
 * Values that landed as null because they did not fit their column, and invalid UTF-8, over the
 * last hour — ADX ingests both without a word, so this is the only place they show.
 */
export function ConversionsPanel({ connectorId, enabled }: { connectorId: string; enabled: boolean }) {
  const conversions = useConnectorConversions(connectorId, { enabled });
  if (!conversions.data || conversions.data.length === 0) return null;
  return (
    <section aria-labelledby="conversions-heading" className="space-y-2">
      <h2 id="conversions-heading" className="text-base font-semibold text-slate-900">
        Values stored as null
      </h2>
      <p className="text-sm text-slate-600">In the last hour, counted by the workers on the records they checked (up to 1,000 a second each); ADX gives no sign of these.</p>
      <ul data-testid="conversion-issues" className="divide-y divide-slate-100 rounded-lg border border-amber-200 bg-amber-50/50 shadow-sm">
        {conversions.data.map((issue) => (
          <li key={`${issue.table}/${issue.column}/${issue.kind}`} className="px-4 py-2.5 text-sm">
            <p className="font-medium text-amber-950">
              {describeIssue(issue)} <span className="font-normal text-amber-900">in the last hour</span>
            </p>
            <p className="mt-0.5 text-xs text-amber-900">
              Table <span className="font-mono">{issue.table}</span> · e.g. <span className="font-mono">{issue.example.topic}/{issue.example.partition}@{issue.example.offset}</span>
              {issue.kind === 'did-not-fit' && (
                <>
                  {' '}
                  with <span className="font-mono break-all">{issue.example.value}</span>
                </>
              )}{' '}
              · last <RelativeTime at={issue.lastSeenAt} /> · {formatCount(issue.checked)} records checked
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}

/**
 * Fields the topics now carry that no column maps (or a new schema version in the registry): the
 * columns and KQL that would add them, applied as a new revision only when someone clicks.
 */
export function SchemaChangesPanel({ connectorId, enabled }: { connectorId: string; enabled: boolean }) {
  const changes = useSchemaChanges(connectorId, { enabled });
  const apply = useApplySchemaChange(connectorId);
  const mayAdminister = useCan('administer');
  const report = changes.data;
  if (!report || report.proposals.length === 0) return null;
  const ingestorOnly = report.principalRole === 'INGESTOR';
  const kql = report.proposals.flatMap((proposal) => proposal.commands).join('\n');
  return (
    <section aria-labelledby="schema-changes-heading" data-testid="schema-changes" className="space-y-3 rounded-lg border border-sky-200 bg-sky-50/60 px-4 py-4 shadow-sm">
      <h2 id="schema-changes-heading" className="text-base font-semibold text-slate-900">
        New fields in the records
      </h2>
      {report.proposals.map((proposal) => (
        <div key={`${proposal.database}.${proposal.table}`} className="space-y-1.5 text-sm">
          <p className="text-slate-800">
            <span className="font-mono">{proposal.database}.{proposal.table}</span> has no column for{' '}
            {proposal.newColumns.map((column, index) => (
              <span key={column.name}>
                {index > 0 && ', '}
                <span className="font-mono font-medium">{column.path}</span>
              </span>
            ))}
            <span className="text-slate-600"> (seen in {proposal.seenIn.join('; ')})</span>. Proposed:
          </p>
          <ul className="flex flex-wrap gap-2">
            {proposal.newColumns.map((column) => (
              <li key={column.name} className="rounded border border-sky-200 bg-white px-2 py-0.5 font-mono text-xs text-slate-900">
                {column.name}:{column.type}
              </li>
            ))}
          </ul>
        </div>
      ))}
      <pre className="overflow-x-auto rounded bg-slate-900 px-3 py-2 font-mono text-xs whitespace-pre-wrap text-slate-100">{kql}</pre>
      {ingestorOnly && <p className="text-sm text-slate-700">The connection may only ingest: hand this KQL to an admin of the database, then save the revision.</p>}
      {apply.isError && <ErrorBanner title="Could not apply the change">{apply.error.message}</ErrorBanner>}
      <div className="flex flex-wrap items-center gap-3">
        {mayAdminister && (
          <button
            type="button"
            className={PRIMARY}
            disabled={apply.isPending}
            onClick={() => apply.mutate({ expectedRevision: report.revision, tables: report.proposals.map((proposal) => ({ table: proposal.table, columns: proposal.newColumns })) })}
          >
            {ingestorOnly ? 'Save as a new revision' : `Add ${report.proposals.reduce((sum, proposal) => sum + proposal.newColumns.length, 0) === 1 ? 'the column' : 'the columns'} (new revision)`}
          </button>
        )}
        <CopyButton text={kql} label="Copy KQL" />
        {apply.isSuccess && <span role="status" className="text-sm text-emerald-800">Saved as revision {report.revision + 1}; the worker applies it.</span>}
      </div>
    </section>
  );
}
