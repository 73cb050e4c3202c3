import type { TKustoColumnType } from '../../lib/mapping/types';

export interface TResultColumn {
  name: string;
  type: TKustoColumnType;
}

/** Wire-ready JSON values; bigints are written as plain JSON integers. */
export type TWireValue = null | boolean | number | bigint | string | TWireValue[] | { [key: string]: TWireValue };

export interface TResultTable {
  columns: TResultColumn[];
  rows: TWireValue[][];
}

/** The .NET type names v1 responses carry in `DataType` (kusto/api/rest/response.md). */
const DOTNET_TYPES: Record<TKustoColumnType, string> = {
  bool: 'Boolean',
  int: 'Int32',
  long: 'Int64',
  real: 'Double',
  decimal: 'Decimal',
  string: 'String',
  datetime: 'DateTime',
  timespan: 'TimeSpan',
  guid: 'Guid',
  dynamic: 'Object',
};

export function dotnetTypeName(type: TKustoColumnType): string {
  return DOTNET_TYPES[type];
}

/** System.* names used inside schema JSON such as `.create table`'s `Schema` column. */
export function systemTypeName(type: TKustoColumnType): string {
  return type === 'dynamic' ? 'System.Object' : type === 'bool' ? 'System.SByte' : `System.${DOTNET_TYPES[type]}`;
}
