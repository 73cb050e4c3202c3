import type { QueryResult } from './hooks/use-connector-query';
import { formatCount } from './format';

const NUMERIC_TYPES = new Set(['int', 'long', 'real', 'decimal', 'double', 'float']);

/** Query results as a table whose header names each column's Kusto type; numbers align right. */
export function QueryResultsGrid({ result }: { result: QueryResult }) {
  return (
    <div className="space-y-2">
      <p data-testid="query-summary" className="text-xs text-slate-600">
        <span data-testid="query-row-count">{formatCount(result.rowCount)}</span> {result.rowCount === 1 ? 'row' : 'rows'}
        {result.truncated && ' (truncated to the first rows)'} · {formatCount(result.durationMs)} ms
      </p>
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

function formatCell(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
