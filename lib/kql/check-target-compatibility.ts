import 'server-only';
import type { Client } from 'azure-kusto-data';
import { AppError, ErrorCode } from '../errors';
import { kustoErrorMessage } from '../kusto/kusto-clients';
import { normalizeKustoType } from '../mapping/types';
import { quoteIdentifier, type TKqlType } from './identifiers';
import type { TCheckTargetInput, TargetCompatibility } from './target-compatibility';

/** Splits `A:int, ['b c']:string` at the commas between columns, not those inside quoted names. */
function parseCslSchema(schema: string): { name: string; type: string }[] {
  const columns: { name: string; type: string }[] = [];
  const pattern = /\s*(?:\[\s*'((?:[^'\\]|\\.)*)'\s*\]|\[\s*"((?:[^"\\]|\\.)*)"\s*\]|([^:,\s]+))\s*:\s*([A-Za-z0-9_.]+)\s*(?:,|$)/gy;
  let match: RegExpExecArray | null;
  while (schema.length > pattern.lastIndex && (match = pattern.exec(schema)) !== null) {
    const name = (match[1] ?? match[2])?.replace(/\\(.)/g, '$1') ?? match[3];
    columns.push({ name, type: normalizeKustoType(match[4].replace(/^system\./i, '')) ?? match[4].toLowerCase() });
  }
  return columns;
}

/** Types that hold every value of another type, so the wizard can suggest switching to them. */
const WIDER: Partial<Record<TKqlType, readonly string[]>> = {
  int: ['long', 'real', 'decimal', 'string', 'dynamic'],
  long: ['real', 'decimal', 'string', 'dynamic'],
  real: ['string', 'dynamic'],
  bool: ['string', 'dynamic'],
  datetime: ['string', 'dynamic'],
  timespan: ['string', 'dynamic'],
  guid: ['string', 'dynamic'],
  string: ['dynamic'],
};

function conflictMessage(table: string, column: string, existingType: string, wantedType: TKqlType): string {
  const cause = `Column '${column}' of table '${table}' is ${existingType}, but the mapping needs ${wantedType}; .create-merge cannot change a column's type.`;
  const hint = WIDER[wantedType]?.includes(existingType)
    ? ` Use ${existingType} for '${column}': it holds every ${wantedType} value.`
    : ` Map the field to a new column name, or change the existing column's type in the target yourself.`;
  return cause + hint;
}

async function rowsOf<T>(client: Client, database: string, csl: string): Promise<T[]> {
  const response = await client.executeMgmt(database, csl);
  return response.primaryResults[0].toJSON<T>().data;
}

/**
 * Compares the columns a connector wants with the target table as it is: which columns
 * `.create-merge` would add, and which existing columns have a type the mapping cannot use.
 */
export async function checkTargetCompatibility(client: Client, input: Omit<TCheckTargetInput, 'kustoConnectionId'>): Promise<TargetCompatibility> {
  const { database, table, columns } = input;
  try {
    const tables = await rowsOf<{ TableName: string }>(client, database, '.show tables');
    const exists = tables.some((row) => row.TableName === table);
    if (!exists) {
      return { exists, existingColumns: [], mappings: [], additions: columns, conflicts: [], mergeCommand: mergeCommandFor(table, columns) };
    }
    const [schemaRow] = await rowsOf<{ Schema: string }>(client, database, `.show table ${quoteIdentifier(table)} cslschema`);
    const existingColumns = parseCslSchema(schemaRow?.Schema ?? '');
    const mappingRows = await rowsOf<{ Name: string; Kind: string }>(client, database, `.show table ${quoteIdentifier(table)} ingestion mappings`);
    const additions: TargetCompatibility['additions'] = [];
    const conflicts: TargetCompatibility['conflicts'] = [];
    for (const column of columns) {
      const existing = existingColumns.find((candidate) => candidate.name === column.name);
      if (!existing) additions.push(column);
      else if (existing.type !== column.type) {
        conflicts.push({ column: column.name, existingType: existing.type, wantedType: column.type, message: conflictMessage(table, column.name, existing.type, column.type) });
      }
    }
    return {
      exists,
      existingColumns,
      mappings: mappingRows.map((row) => ({ name: row.Name, kind: row.Kind })),
      additions,
      conflicts,
      mergeCommand: additions.length > 0 ? mergeCommandFor(table, additions) : null,
    };
  } catch (error) {
    throw new AppError(ErrorCode.TARGET_ERROR, `Reading table '${table}' of database '${database}' failed: ${kustoErrorMessage(error)}`);
  }
}

function mergeCommandFor(table: string, columns: readonly { name: string; type: TKqlType }[]): string {
  return `.create-merge table ${quoteIdentifier(table)} (${columns.map((column) => `${quoteIdentifier(column.name)}:${column.type}`).join(', ')})`;
}

