'use client';

import { useMemo, useState } from 'react';
import { BUTTON_CLASS } from './button-class';
import { useRunConnectorQuery } from './hooks/use-connector-query';
import type { TargetView } from '@/lib/kql/target-view';
import { KqlEditor } from './kql-editor/kql-editor';
import { QueryResultsGrid } from './query-results-grid';
import { Spinner } from './spinner';

/** Canned queries for the target table, including a per-minute histogram when it has a datetime column. */
function cannedQueries(table: string, columns: TargetView['columns']): string[] {
  const name = quoteIdentifier(table);
  const datetime = columns.find((column) => column.type === 'datetime');
  return [
    `${name} | take 10`,
    `${name} | count`,
    ...(datetime ? [`${name} | summarize count() by bin(${quoteIdentifier(datetime.name)}, 1m)`] : []),
  ];
}

function quoteIdentifier(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `['${name.replace(/'/g, "\\'")}']`;
}

export function SampleQueryPanel({ connectorId, target }: { connectorId: string; target: TargetView | undefined }) {
  const [csl, setCsl] = useState<string | null>(null);
  const run = useRunConnectorQuery(connectorId);
  const queries = useMemo(() => (target ? cannedQueries(target.table, target.columns) : []), [target]);
  const schema = useMemo(() => (target ? { database: target.database, table: target.table, columns: target.columns } : null), [target]);
  const text = csl ?? queries[0] ?? '';

  function execute(query = text) {
    if (query.trim() && !run.isPending) run.mutate(query);
  }

  return (
    <section aria-labelledby="sample-query-heading" className="space-y-2">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="sample-query-heading" className="text-base font-semibold text-slate-900">
          Sample query
        </h2>
        {target && (
          <p className="text-xs text-slate-500">
            against <span className="font-mono">{target.database}</span> · Ctrl+Enter runs
          </p>
        )}
      </div>
      <div className="space-y-3 rounded-lg border border-slate-200 bg-white p-3 shadow-sm">
        <div className="flex flex-wrap items-center gap-2">
          {queries.map((query) => (
            <button
              key={query}
              type="button"
              onClick={() => {
                setCsl(query);
                execute(query);
              }}
              className="rounded-md border border-slate-200 bg-slate-50 px-2 py-1 font-mono text-xs text-slate-700 hover:bg-slate-100"
            >
              {query}
            </button>
          ))}
          <button
            type="button"
            data-testid="run-query"
            disabled={run.isPending || !text.trim()}
            onClick={() => execute()}
            className={`${BUTTON_CLASS} ml-auto border-sky-700 bg-sky-600 text-white hover:enabled:bg-sky-700`}
          >
            {run.isPending && <Spinner />}
            {run.isPending ? 'Running…' : 'Run'}
          </button>
        </div>
        <div className="overflow-hidden rounded-md border border-slate-200">
          <KqlEditor value={text} onChange={setCsl} onRun={() => execute()} schema={schema} />
        </div>
        {run.isError && (
          <div role="alert" data-testid="query-error" className="rounded-md border border-red-200 bg-red-50 px-3 py-2">
            <p className="text-xs font-semibold text-red-900">The target answered with an error</p>
            <pre className="mt-1 font-mono text-xs break-words whitespace-pre-wrap text-red-900">{run.error.message}</pre>
          </div>
        )}
        {run.data && !run.isError && <QueryResultsGrid result={run.data} fileName={`${target?.table ?? 'query'}-results.csv`} />}
      </div>
    </section>
  );
}
