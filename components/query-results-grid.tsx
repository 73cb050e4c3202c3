'use client';

import { queryResultToCsv, type SampleQueryResult } from '@/lib/query/query-result';
import { formatCount } from './format';

const NUMERIC_TYPES = new Set(['int', 'long', 'real', 'decimal', 'double', 'float']);

/** Query results as a table whose header names each column's Kusto type; numbers align right. */
export function QueryResultsGrid({ result, fileName }: { result: SampleQueryResult; fileName: string }) {
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p data-testid="query-summary" className="text-xs text-slate-600">
          <span data-testid="query-row-count">{formatCount(result.rowCount)}</span> {result.rowCount === 1 ? 'row' : 'rows'}
          {result.truncated && ' (truncated to the first rows)'} · {formatCount(result.durationMs)} ms
        </p>
        <button
          type="button"
          data-testid="export-csv"
          onClick={() => downloadCsv(result, fileName)}
          className="rounded-md border border-slate-300 bg-white px-2.5 py-1 text-xs font-medium text-slate-700 hover:bg-slate-50"
        >
          Export CSV
        </button>
      </div>
      <div className="max-h-96 overflow-auto rounded-md border border-slate-200">
        <table data-testid="query-results" className="min-w-full divide-y divide-slate-200 text-sm">
          <thead className="sticky top-0 bg-slate-50">
            <tr>
              {result.columns.map((column) => (
                <th
                  key={column.name}
                  scope="col"
                  data-column={column.name}
                  className={`px-3 py-2 text-xs font-semibold whitespace-nowrap text-slate-700 ${NUMERIC_TYPES.has(column.type) ? 'text-right' : 'text-left'}`}
                >
                  {column.name} <span className="font-mono font-normal text-slate-400">{column.type}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 bg-white">
            {result.rows.map((row, rowIndex) => (
              <tr key={rowIndex} data-testid="query-row">
                {row.map((value, columnIndex) => {
                  const numeric = NUMERIC_TYPES.has(result.columns[columnIndex]?.type ?? '');
                  return (
                    <td
                      key={columnIndex}
                      className={`max-w-96 truncate px-3 py-1.5 font-mono text-xs whitespace-nowrap ${numeric ? 'text-right tabular-nums' : ''} ${value === null ? 'text-slate-400' : 'text-slate-800'}`}
                    >
                      {formatCell(value)}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** The rows on screen as a .csv file, made in the browser: the query is not run again. */
function downloadCsv(result: SampleQueryResult, fileName: string) {
  const url = URL.createObjectURL(new Blob([queryResultToCsv(result)], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  URL.revokeObjectURL(url);
}

function formatCell(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
