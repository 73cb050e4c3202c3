import { intervalValue, timestampValue, uuidValue, type DuckDBAppender, type DuckDBConnection } from '@duckdb/node-api';
import { parseKustoDatetime, TICKS_PER_MICROSECOND } from '../../lib/mapping/kusto-datetime';
import { parseKustoTimespan } from '../../lib/mapping/kusto-timespan';
import { stringifyJsonLossless } from '../../lib/mapping/lossless-json';
import type { TKustoColumnType, TKustoValue } from '../../lib/mapping/types';
import type { TTableRecord } from '../storage/catalog';

/** Ticks → microseconds, rounding toward negative infinity so pre-1970 values stay ordered. */
function microsOf(ticks: bigint): bigint {
  const micros = ticks / TICKS_PER_MICROSECOND;
  return ticks < 0n && ticks % TICKS_PER_MICROSECOND !== 0n ? micros - 1n : micros;
}

function appendValue(appender: DuckDBAppender, type: TKustoColumnType, value: TKustoValue): void {
  if (value === null) {
    // Kusto strings are never null (scalar-data-types/null-values.md): a missing string is empty.
    if (type === 'string') appender.appendVarchar('');
    else appender.appendNull();
    return;
  }
  switch (type) {
    case 'bool':
      return appender.appendBoolean(value as boolean);
    case 'int':
      return appender.appendInteger(value as number);
    case 'long':
      return appender.appendBigInt(value as bigint);
    case 'real':
    case 'decimal':
      return appender.appendDouble(value as number);
    case 'string':
      return appender.appendVarchar(value as string);
    case 'datetime':
      return appender.appendTimestamp(timestampValue(microsOf(parseKustoDatetime(value as string) ?? 0n)));
    case 'timespan':
      return appender.appendInterval(intervalValue(0, 0, microsOf(parseKustoTimespan(value as string) ?? 0n)));
    case 'guid':
      return appender.appendUUID(uuidValue(BigInt(`0x${(value as string).replace(/-/g, '')}`)));
    case 'dynamic':
      return appender.appendVarchar(stringifyJsonLossless(value));
  }
}

/**
 * Appends converted rows (one value per table column, already of the column's type) inside the
 * caller's transaction, so they commit or roll back with it.
 */
export async function appendRows(connection: DuckDBConnection, table: TTableRecord, rows: readonly TKustoValue[][]): Promise<void> {
  const appender = await connection.createAppender(`t${table.id}`, 'data');
  try {
    for (const row of rows) {
      table.columns.forEach((column, ordinal) => appendValue(appender, column.type, row[ordinal]));
      appender.endRow();
    }
    appender.closeSync();
  } catch (error) {
    appender.clear();
    appender.closeSync();
    throw error;
  }
}
