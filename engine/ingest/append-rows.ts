import {
  BIGINT,
  BOOLEAN,
  DOUBLE,
  DuckDBDataChunk,
  DuckDBTimestampValue,
  DuckDBVarCharType,
  DuckDBVector,
  INTEGER,
  INTERVAL,
  intervalValue,
  TIMESTAMP,
  UUID,
  uuidValue,
  VARCHAR,
  type DuckDBConnection,
  type DuckDBType,
} from '@duckdb/node-api';
import type { TKustoColumnType, TKustoValue } from '../../lib/mapping/types';
import type { TTableRecord } from '../storage/catalog';
import { columnBatchOfRows, type TColumnData, type TColumnBatch } from './column-batch';

/** The DuckDB type of each Kusto type's vectors (duckdb-types.ts). */
const VECTOR_TYPES: Record<TKustoColumnType, DuckDBType> = {
  bool: BOOLEAN,
  int: INTEGER,
  long: BIGINT,
  real: DOUBLE,
  decimal: DOUBLE,
  string: VARCHAR,
  datetime: TIMESTAMP,
  timespan: INTERVAL,
  guid: UUID,
  dynamic: DuckDBVarCharType.create('JSON'),
};

function fillVector(vector: DuckDBVector, column: TColumnData | undefined, type: TKustoColumnType, offset: number, count: number): void {
  if (!column) {
    // A column added after the batch was mapped: null, and empty for strings.
    for (let row = 0; row < count; row++) vector.setItem(row, type === 'string' ? '' : null);
    return;
  }
  const { values, nulls } = column;
  for (let row = 0; row < count; row++) {
    const at = offset + row;
    if (nulls[at] === 1) {
      vector.setItem(row, null);
      continue;
    }
    switch (type) {
      case 'bool':
        vector.setItem(row, values[at] === 1);
        break;
      case 'int':
      case 'real':
      case 'decimal':
      case 'long':
      case 'string':
      case 'dynamic':
        vector.setItem(row, values[at]);
        break;
      case 'datetime':
        vector.setItem(row, new DuckDBTimestampValue(values[at] as bigint));
        break;
      case 'timespan':
        vector.setItem(row, intervalValue(0, 0, values[at] as bigint));
        break;
      case 'guid':
        vector.setItem(row, uuidValue(BigInt(`0x${values[at] as string}`)));
        break;
    }
  }
  vector.flush();
}

/**
 * Appends mapped batches inside the caller's transaction, so they commit or roll back with it: a
 * DataChunk of up to one vector's worth of rows at a time, each column written into its vector
 * and copied over in one go.
 */
export async function appendColumnBatches(connection: DuckDBConnection, table: TTableRecord, batches: readonly TColumnBatch[]): Promise<void> {
  const types = table.columns.map((column) => column.type);
  const vectorTypes = types.map((type) => VECTOR_TYPES[type]);
  const vectorSize = DuckDBVector.standardSize();
  const appender = await connection.createAppender(`t${table.id}`, 'data');
  try {
    for (const batch of batches) {
      for (let offset = 0; offset < batch.rowCount; offset += vectorSize) {
        const count = Math.min(vectorSize, batch.rowCount - offset);
        const chunk = DuckDBDataChunk.create(vectorTypes, count);
        types.forEach((type, column) => fillVector(chunk.getColumnVector(column), batch.columns[column], type, offset, count));
        appender.appendDataChunk(chunk);
      }
    }
    appender.closeSync();
  } catch (error) {
    appender.clear();
    appender.closeSync();
    throw error;
  }
}

/**
 * Appends converted rows (one value per table column, already of the column's type) inside the
 * caller's transaction, so they commit or roll back with it.
 */
export function appendRows(connection: DuckDBConnection, table: TTableRecord, rows: readonly TKustoValue[][]): Promise<void> {
  return appendColumnBatches(connection, table, [columnBatchOfRows(table.columns.map((column) => column.type), rows)]);
}
