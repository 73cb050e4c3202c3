import { formatJsonMapping, ZJsonMapping, type TJsonMapping } from '../../lib/mapping/types';
import { KustoError, unsupported } from '../protocol/kusto-error';
import type { TResultTable } from '../protocol/result-table';
import { deleteMapping, ensureDatabase, findMapping, listMappings, requireTable, saveMapping, type TMappingRecord, type TTableRecord } from '../storage/catalog';
import type { TStore } from '../storage/open-store';
import type { TCommand } from './parse-command';
import { wireDatetime } from './table-commands';

const KIND_DISPLAY: Record<string, string> = { json: 'Json' };

function requireJsonKind(kind: string): void {
  if (kind !== 'json') throw unsupported(`Ingestion mappings of kind '${kind}'`);
}

/** Parses mapping text as ADX would accept it, and checks it against the table. */
export function parseJsonMappingText(text: string, table: TTableRecord): TJsonMapping {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new KustoError('badRequest', `The ingestion mapping is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = ZJsonMapping.safeParse(json);
  if (!parsed.success) {
    throw new KustoError('badRequest', `Invalid ingestion mapping: ${parsed.error.issues.map((issue) => issue.message).join('; ')}`);
  }
  for (const element of parsed.data) {
    // mappings.md: Datatype is used to create a missing column; without it the column must exist.
    if (!element.datatype && !table.columns.some((column) => column.name === element.column)) {
      throw new KustoError('badRequest', `Ingestion mapping column '${element.column}' does not exist in table '${table.name}' and has no Datatype`);
    }
  }
  return parsed.data;
}

function mappingsResult(table: TTableRecord, mappings: readonly TMappingRecord[]): TResultTable {
  return {
    columns: [
      { name: 'Name', type: 'string' },
      { name: 'Kind', type: 'string' },
      { name: 'Mapping', type: 'string' },
      { name: 'LastUpdatedOn', type: 'datetime' },
      { name: 'Database', type: 'string' },
      { name: 'Table', type: 'string' },
    ],
    rows: mappings.map((mapping) => [mapping.name, KIND_DISPLAY[mapping.kind] ?? mapping.kind, mapping.mapping, wireDatetime(mapping.updatedOn), table.database, table.name]),
  };
}

export async function createMapping(store: TStore, database: string, command: Extract<TCommand, { kind: 'createMapping' }>): Promise<TResultTable> {
  requireJsonKind(command.mappingKind);
  return store.write(async (connection) => {
    await ensureDatabase(connection, database);
    const table = await requireTable(connection, database, command.table.name);
    const mapping = parseJsonMappingText(command.mapping, table);
    if (!command.orAlter && (await findMapping(connection, table, command.mappingKind, command.name))) {
      throw new KustoError('alreadyExists', `Ingestion mapping '${command.name}' of kind '${command.mappingKind}' already exists on table '${table.name}'`);
    }
    const saved = await saveMapping(connection, table, command.mappingKind, command.name, formatJsonMapping(mapping));
    return mappingsResult(table, [saved]);
  });
}

export async function dropMapping(store: TStore, database: string, command: Extract<TCommand, { kind: 'dropMapping' }>): Promise<TResultTable> {
  requireJsonKind(command.mappingKind);
  return store.write(async (connection) => {
    const table = await requireTable(connection, database, command.table.name);
    if (!(await findMapping(connection, table, command.mappingKind, command.name))) {
      throw new KustoError('notFound', `Ingestion mapping '${command.name}' of kind '${command.mappingKind}' was not found on table '${table.name}'`);
    }
    await deleteMapping(connection, table, command.mappingKind, command.name);
    return mappingsResult(table, await listMappings(connection, table));
  });
}

export async function showMappings(store: TStore, database: string, command: Extract<TCommand, { kind: 'showMappings' }>): Promise<TResultTable> {
  return store.read(async (connection) => {
    const table = await requireTable(connection, database, command.table.name);
    return mappingsResult(table, await listMappings(connection, table, command.mappingKind));
  });
}
