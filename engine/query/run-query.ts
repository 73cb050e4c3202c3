import { KustoError } from '../protocol/kusto-error';
import type { TResultTable } from '../protocol/result-table';
import { listTables } from '../storage/catalog';
import type { TStore } from '../storage/open-store';
import { analyzeQuery } from './analyze-query';
import { readResultValue } from './read-result-value';
import { RESULT_ROW_LIMIT, translateQuery } from './translate-query';

/** DuckDB errors caused by the data (a failed cast, an overflow) rather than by the translation. */
const DATA_ERRORS = /^(Conversion|Out of Range|Invalid Input) Error/;

/** Runs a KQL query against `database`: analyze, translate to one SQL statement, execute, shape. */
export async function runQuery(store: TStore, database: string, text: string): Promise<TResultTable> {
  const tables = await store.read((connection) => listTables(connection, database));
  const code = analyzeQuery(text, database, tables);
  const query = translateQuery(code, tables, BigInt(Date.now()) * 1000n);
  const rows = await store.read(async (connection) => {
    try {
      return (await connection.runAndReadAll(query.sql, query.params)).getRows();
    } catch (error) {
      const message = (error as Error).message;
      if (DATA_ERRORS.test(message)) throw new KustoError('badRequest', `Query execution failed: ${message}`);
      throw error;
    }
  });
  if (rows.length > RESULT_ROW_LIMIT) {
    throw new KustoError(
      'badRequest',
      `Query result set has exceeded the internal record count limit ${RESULT_ROW_LIMIT} (E_QUERY_RESULT_SET_TOO_LARGE; see https://aka.ms/kustoquerylimits)`,
    );
  }
  return {
    columns: query.columns,
    rows: rows.map((row) => query.columns.map((column, i) => readResultValue(row[i], column.type))),
  };
}
