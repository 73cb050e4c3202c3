import { DuckDBInstance } from '@duckdb/node-api';
import type { TKustoValue } from '../../lib/mapping/types';
import { appendRows } from '../ingest/append-rows';
import type { TResultTable, TWireValue } from '../protocol/result-table';
import { analyzeQuery } from '../query/analyze-query';
import { readResultValue } from '../query/read-result-value';
import { translateQuery } from '../query/translate-query';
import type { TTableRecord } from '../storage/catalog';
import { duckdbTypeOf, physicalColumnName, physicalTableName } from '../storage/duckdb-types';
import { tokenizeCommand } from './tokenize-command';

/**
 * `.show … | where …`: ADX runs the query part over the command's result table. The result is
 * loaded into a throw-away in-memory DuckDB and queried with the same KQL translation as tables.
 */

const SOURCE_NAME = 'CommandResult';

/** Splits `.show tables | project TableName` at its first pipe outside literals; null without one. */
export function splitCommandPipe(text: string): { command: string; pipe: string } | null {
  const tokens = tokenizeCommand(text);
  if (tokens[0]?.value !== '.show') return null;
  const pipe = tokens.find((token) => token.kind === 'punct' && token.value === '|');
  return pipe ? { command: text.slice(0, pipe.start).trim(), pipe: text.slice(pipe.start) } : null;
}

function kustoValueOf(value: TWireValue, type: TResultTable['columns'][number]['type']): TKustoValue {
  if (value === null) return null;
  if (type === 'long') return BigInt(value as number | bigint | string);
  return value as TKustoValue;
}

export async function pipeCommandResult(result: TResultTable, database: string, pipe: string): Promise<TResultTable> {
  const table: TTableRecord = { id: 0, database, name: SOURCE_NAME, folder: '', docString: '', columns: result.columns, batchingPolicy: null, streamingPolicy: null };
  const code = analyzeQuery(`${SOURCE_NAME} ${pipe}`, database, [table]);
  const query = translateQuery(code, [table], BigInt(Date.now()) * 1000n);
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run('CREATE SCHEMA data');
    await connection.run(`CREATE TABLE ${physicalTableName(table.id)} (${table.columns.map((column, ordinal) => `${physicalColumnName(ordinal)} ${duckdbTypeOf(column.type)}`).join(', ')})`);
    await appendRows(connection, table, result.rows.map((row) => row.map((value, ordinal) => kustoValueOf(value, table.columns[ordinal].type))));
    const rows = (await connection.runAndReadAll(query.sql, query.params)).getRows();
    return { columns: query.columns, rows: rows.map((row) => query.columns.map((column, i) => readResultValue(row[i], column.type))) };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
