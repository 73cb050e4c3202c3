import { parseKustoDatetime, TICKS_PER_MICROSECOND } from '../../lib/mapping/kusto-datetime';
import { parseKustoTimespan } from '../../lib/mapping/kusto-timespan';
import { stringifyJsonLossless } from '../../lib/mapping/lossless-json';
import type { TKustoColumnType, TKustoValue } from '../../lib/mapping/types';

/**
 * Mapped rows held by column, in the form they are stored (append-rows.ts): typed arrays and
 * strings only, so a batch crosses from a worker thread by transfer and is appended a DataChunk
 * at a time instead of a value at a time.
 *
 * - int: Int32Array; long, datetime and timespan: BigInt64Array (datetime and timespan in
 *   microseconds); real, decimal: Float64Array; bool: Uint8Array;
 * - string: the text (a Kusto string is never null: a missing one is empty); dynamic: its JSON
 *   text; guid: its 32 hex digits.
 */
export type TColumnValues = Int32Array | BigInt64Array | Float64Array | Uint8Array | string[];

export interface TColumnData {
  type: TKustoColumnType;
  values: TColumnValues;
  /** 1 where the row's value is null. */
  nulls: Uint8Array;
}

export interface TColumnBatch {
  rowCount: number;
  /** In the table's column order; a table widened after the batch was mapped has more columns, which get nulls. */
  columns: TColumnData[];
}

/** Ticks → microseconds, rounding toward negative infinity so pre-1970 values stay ordered. */
export function microsOf(ticks: bigint): bigint {
  const micros = ticks / TICKS_PER_MICROSECOND;
  return ticks < 0n && ticks % TICKS_PER_MICROSECOND !== 0n ? micros - 1n : micros;
}

function valuesFor(type: TKustoColumnType, capacity: number): TColumnValues {
  switch (type) {
    case 'int':
      return new Int32Array(capacity);
    case 'long':
    case 'datetime':
    case 'timespan':
      return new BigInt64Array(capacity);
    case 'real':
    case 'decimal':
      return new Float64Array(capacity);
    case 'bool':
      return new Uint8Array(capacity);
    case 'string':
    case 'guid':
    case 'dynamic':
      return new Array<string>(capacity).fill('');
  }
}

/** Fills a batch of known row count; every setter writes one cell of a converted value. */
export class ColumnBatchBuilder {
  readonly columns: TColumnData[];

  constructor(
    types: readonly TKustoColumnType[],
    readonly rowCount: number,
  ) {
    this.columns = types.map((type) => ({ type, values: valuesFor(type, rowCount), nulls: new Uint8Array(rowCount) }));
  }

  setNull(column: number, row: number): void {
    // Kusto strings are never null (scalar-data-types/null-values.md): a missing string is empty.
    if (this.columns[column].type !== 'string') this.columns[column].nulls[row] = 1;
  }

  setNumber(column: number, row: number, value: number): void {
    (this.columns[column].values as Int32Array | Float64Array)[row] = value;
  }

  setBigInt(column: number, row: number, value: bigint): void {
    (this.columns[column].values as BigInt64Array)[row] = value;
  }

  setText(column: number, row: number, value: string): void {
    (this.columns[column].values as string[])[row] = value;
  }

  /** A datetime given as ticks (or null when it did not convert). */
  setTicks(column: number, row: number, ticks: bigint | null): void {
    if (ticks === null) this.setNull(column, row);
    else this.setBigInt(column, row, microsOf(ticks));
  }

  /** A value already converted to the column's type (convertToKustoType), null included. */
  setValue(column: number, row: number, value: TKustoValue): void {
    if (value === null) return this.setNull(column, row);
    switch (this.columns[column].type) {
      case 'bool':
        return this.setNumber(column, row, value ? 1 : 0);
      case 'int':
      case 'real':
      case 'decimal':
        return this.setNumber(column, row, value as number);
      case 'long':
        return this.setBigInt(column, row, value as bigint);
      case 'string':
        return this.setText(column, row, value as string);
      case 'datetime':
        return this.setBigInt(column, row, microsOf(parseKustoDatetime(value as string) ?? 0n));
      case 'timespan':
        return this.setBigInt(column, row, microsOf(parseKustoTimespan(value as string) ?? 0n));
      case 'guid':
        return this.setText(column, row, (value as string).replace(/-/g, ''));
      case 'dynamic':
        return this.setText(column, row, stringifyJsonLossless(value));
    }
  }

  build(): TColumnBatch {
    return { rowCount: this.rowCount, columns: this.columns };
  }
}

/** Rows of converted values (one per table column) as a batch. */
export function columnBatchOfRows(types: readonly TKustoColumnType[], rows: readonly TKustoValue[][]): TColumnBatch {
  const builder = new ColumnBatchBuilder(types, rows.length);
  rows.forEach((row, index) => types.forEach((_, column) => builder.setValue(column, index, row[column] ?? null)));
  return builder.build();
}

/** The ArrayBuffers a batch may hand over to another thread without a copy. */
export function transferablesOf(batch: TColumnBatch): ArrayBuffer[] {
  return batch.columns.flatMap((column) => [column.nulls.buffer, ...(Array.isArray(column.values) ? [] : [column.values.buffer])]).filter((buffer) => buffer instanceof ArrayBuffer);
}
