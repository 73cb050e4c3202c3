import { formatKustoDatetime } from '../../lib/mapping/kusto-datetime';
import type { TKustoColumn } from '../../lib/mapping/types';
import { KustoError } from '../protocol/kusto-error';
import { systemTypeName, type TResultTable, type TWireValue } from '../protocol/result-table';
import {
  addColumns,
  createTable,
  dropTable,
  ensureDatabase,
  findTable,
  listExtents,
  listTables,
  requireTable,
  tableStatistics,
  updateTableProperties,
  type TTableRecord,
} from '../storage/catalog';
import type { TStore } from '../storage/open-store';
import type { TCommand, TTableView } from './parse-command';

export function wireDatetime(date: Date | null): string | null {
  return date ? formatKustoDatetime(BigInt(date.getTime()) * 10_000n) : null;
}

function schemaJson(table: TTableRecord): string {
  return JSON.stringify({
    Name: table.name,
    OrderedColumns: table.columns.map((column) => ({ Name: column.name, Type: systemTypeName(column.type), CslType: column.type })),
  });
}

function quoteName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `['${name.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;
}

function cslSchema(table: TTableRecord): string {
  return table.columns.map((column) => `${quoteName(column.name)}:${column.type}`).join(', ');
}

const SCHEMA_COLUMNS: TResultTable['columns'] = [
  { name: 'TableName', type: 'string' },
  { name: 'Schema', type: 'string' },
  { name: 'DatabaseName', type: 'string' },
  { name: 'Folder', type: 'string' },
  { name: 'DocString', type: 'string' },
];

function schemaResult(table: TTableRecord, schema: string): TResultTable {
  return { columns: SCHEMA_COLUMNS, rows: [[table.name, schema, table.database, table.folder, table.docString]] };
}

function mergeColumns(table: TTableRecord, requested: readonly TKustoColumn[]): TKustoColumn[] {
  const added: TKustoColumn[] = [];
  for (const column of requested) {
    const existing = table.columns.find((candidate) => candidate.name === column.name);
    if (!existing) added.push(column);
    else if (existing.type !== column.type) {
      throw new KustoError(
        'badRequest',
        `.create-merge table: column '${column.name}' of table '${table.name}' is of type '${existing.type}' and cannot be changed to '${column.type}'`,
      );
    }
  }
  return added;
}

export async function createOrMergeTable(store: TStore, database: string, command: Extract<TCommand, { kind: 'createTable' }>): Promise<TResultTable> {
  const table = await store.write(async (connection) => {
    await ensureDatabase(connection, database);
    const existing = await findTable(connection, database, command.table.name);
    const properties = { folder: command.folder ?? existing?.folder ?? '', docString: command.docString ?? existing?.docString ?? '' };
    if (!existing) return createTable(connection, database, command.table.name, command.columns, properties);
    // create-table-command.md: `.create` on an existing table succeeds and changes nothing.
    if (!command.merge) return existing;
    const merged = await addColumns(connection, existing, mergeColumns(existing, command.columns));
    return command.folder !== undefined || command.docString !== undefined ? updateTableProperties(connection, merged, properties) : merged;
  });
  return schemaResult(table, schemaJson(table));
}

function tablesResult(tables: readonly TTableRecord[]): TResultTable {
  return {
    columns: [
      { name: 'TableName', type: 'string' },
      { name: 'DatabaseName', type: 'string' },
      { name: 'Folder', type: 'string' },
      { name: 'DocString', type: 'string' },
    ],
    rows: tables.map((table) => [table.name, table.database, table.folder, table.docString]),
  };
}

export async function showTables(store: TStore, database: string): Promise<TResultTable> {
  return tablesResult(await store.read((connection) => listTables(connection, database)));
}

export async function dropTableCommand(store: TStore, database: string, command: Extract<TCommand, { kind: 'dropTable' }>): Promise<TResultTable> {
  const remaining = await store.write(async (connection) => {
    const table = await findTable(connection, database, command.table.name);
    if (table) await dropTable(connection, table);
    else if (!command.ifExists) throw new KustoError('notFound', `Table '${command.table.name}' was not found in database '${database}'`);
    return listTables(connection, database);
  });
  return tablesResult(remaining);
}

/** `.drop tables (A, B) [ifexists]`: all or nothing; without ifexists a missing table fails the command. */
export async function dropTablesCommand(store: TStore, database: string, command: Extract<TCommand, { kind: 'dropTables' }>): Promise<TResultTable> {
  const remaining = await store.write(async (connection) => {
    for (const name of command.names) {
      const table = await findTable(connection, database, name);
      if (table) await dropTable(connection, table);
      else if (!command.ifExists) throw new KustoError('notFound', `Table '${name}' was not found in database '${database}'`);
    }
    return listTables(connection, database);
  });
  return tablesResult(remaining);
}

async function detailsResult(store: TStore, table: TTableRecord): Promise<TResultTable> {
  const statistics = await store.read((connection) => tableStatistics(connection, table));
  const columns: [string, TResultTable['columns'][number]['type'], TWireValue][] = [
    ['TableName', 'string', table.name],
    ['DatabaseName', 'string', table.database],
    ['Folder', 'string', table.folder],
    ['DocString', 'string', table.docString],
    ['TotalExtents', 'long', statistics.extentCount],
    ['TotalExtentSize', 'real', null],
    ['TotalOriginalSize', 'real', statistics.originalSize],
    ['TotalRowCount', 'long', statistics.rowCount],
    ['HotExtents', 'long', statistics.extentCount],
    ['HotExtentSize', 'real', null],
    ['HotOriginalSize', 'real', statistics.originalSize],
    ['HotRowCount', 'long', statistics.rowCount],
    ['AuthorizedPrincipals', 'string', '[]'],
    ['RetentionPolicy', 'string', null],
    ['CachingPolicy', 'string', null],
    ['ShardingPolicy', 'string', null],
    ['MergePolicy', 'string', null],
    ['StreamingIngestionPolicy', 'string', table.streamingPolicy],
    ['IngestionBatchingPolicy', 'string', table.batchingPolicy],
    ['MinExtentsCreationTime', 'datetime', wireDatetime(statistics.minCreatedOn)],
    ['MaxExtentsCreationTime', 'datetime', wireDatetime(statistics.maxCreatedOn)],
    ['TableId', 'string', String(table.id)],
  ];
  return { columns: columns.map(([name, type]) => ({ name, type })), rows: [columns.map(([, , value]) => value)] };
}

async function extentsResult(store: TStore, table: TTableRecord): Promise<TResultTable> {
  const extents = await store.read((connection) => listExtents(connection, table));
  return {
    columns: [
      { name: 'ExtentId', type: 'guid' },
      { name: 'DatabaseName', type: 'string' },
      { name: 'TableName', type: 'string' },
      { name: 'MaxCreatedOn', type: 'datetime' },
      { name: 'OriginalSize', type: 'real' },
      { name: 'RowCount', type: 'long' },
      { name: 'MinCreatedOn', type: 'datetime' },
      { name: 'Tags', type: 'string' },
    ],
    rows: extents.map((extent) => [extent.id, table.database, table.name, wireDatetime(extent.createdOn), extent.originalSize, extent.rowCount, wireDatetime(extent.createdOn), extent.tags.join('\r\n')]),
  };
}

export async function showTable(store: TStore, database: string, name: string, view: TTableView): Promise<TResultTable> {
  const table = await store.read((connection) => requireTable(connection, database, name));
  switch (view) {
    case 'columns':
      return {
        columns: [
          { name: 'AttributeName', type: 'string' },
          { name: 'AttributeType', type: 'string' },
        ],
        rows: table.columns.map((column) => [column.name, systemTypeName(column.type)]),
      };
    case 'cslschema':
      return schemaResult(table, cslSchema(table));
    case 'schema':
      return schemaResult(table, schemaJson(table));
    case 'details':
      return detailsResult(store, table);
    case 'extents':
      return extentsResult(store, table);
  }
}
