/** A sample query's answer, as the API sends it and the panel shows and exports it. */
export interface SampleQueryResult {
  columns: { name: string; type: string }[];
  /** Values as the target sent them (datetimes as ISO text, dynamic as JSON). */
  rows: unknown[][];
  rowCount: number;
  truncated: boolean;
  durationMs: number;
}

/** Leading characters that make a spreadsheet read a cell as a formula (CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  // Text from the table is data: a quote in front keeps Excel from evaluating "=HYPERLINK(…)".
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replaceAll('"', '""')}"` : text;
}

/** RFC 4180: a header of column names, CRLF line ends, fields quoted when they must be; null is empty. */
export function queryResultToCsv(result: Pick<SampleQueryResult, 'columns' | 'rows'>): string {
  const lines = [result.columns.map((column) => csvField(column.name)), ...result.rows.map((row) => row.map(csvField))];
  return `${lines.map((fields) => fields.join(',')).join('\r\n')}\r\n`;
}
