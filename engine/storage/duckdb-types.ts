import type { TKustoColumnType } from '../../lib/mapping/types';

/**
 * How each Kusto type is stored. decimal is kept as DOUBLE (128-bit decimals are out of scope);
 * datetime is TIMESTAMP in UTC (microseconds, one digit less than Kusto's 100 ns ticks);
 * timespan is INTERVAL so datetime arithmetic works natively.
 */
const DUCKDB_TYPES: Record<TKustoColumnType, string> = {
  bool: 'BOOLEAN',
  int: 'INTEGER',
  long: 'BIGINT',
  real: 'DOUBLE',
  decimal: 'DOUBLE',
  string: 'VARCHAR',
  datetime: 'TIMESTAMP',
  timespan: 'INTERVAL',
  guid: 'UUID',
  dynamic: 'JSON',
};

export function duckdbTypeOf(type: TKustoColumnType): string {
  return DUCKDB_TYPES[type];
}

/** Double quotes an identifier for DuckDB. Only engine-generated names reach SQL, but quote anyway. */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Data tables and columns get generated names (`data.t12`, `c0`…): DuckDB folds identifier case,
 * while Kusto names are case-sensitive and may hold any character.
 */
export function physicalTableName(tableId: number): string {
  return `${quoteIdentifier('data')}.${quoteIdentifier(`t${tableId}`)}`;
}

export function physicalColumnName(ordinal: number): string {
  return quoteIdentifier(`c${ordinal}`);
}
