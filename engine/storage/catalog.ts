import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { DuckDBTimestampValue } from '@duckdb/node-api';
import { ZKustoColumnType, type TKustoColumn } from '../../lib/mapping/types';
import { KustoError } from '../protocol/kusto-error';
import { duckdbTypeOf, physicalColumnName, physicalTableName } from './duckdb-types';

/**
 * The catalog — databases, tables with their Kusto column types, mappings, policies and one row
 * per ingested extent — lives in the same DuckDB file as the data, so a restart keeps all of it
 * and every change commits atomically with the data it describes.
 */

export interface TTableRecord {
  id: number;
  database: string;
  name: string;
  folder: string;
  docString: string;
  columns: TKustoColumn[];
  batchingPolicy: string | null;
  streamingPolicy: string | null;
}

export interface TMappingRecord {
  kind: string;
  name: string;
  mapping: string;
  updatedOn: Date;
}

export interface TTableStatistics {
  rowCount: number;
  extentCount: number;
  originalSize: number;
  minCreatedOn: Date | null;
  maxCreatedOn: Date | null;
}

export type TTablePolicy = 'batching' | 'streaming';

export async function createCatalogSchema(connection: DuckDBConnection): Promise<void> {
  for (const statement of [
    'CREATE SCHEMA IF NOT EXISTS meta',
    'CREATE SCHEMA IF NOT EXISTS data',
    'CREATE SEQUENCE IF NOT EXISTS meta.table_ids START 1',
    'CREATE TABLE IF NOT EXISTS meta.databases (name VARCHAR PRIMARY KEY, created_on TIMESTAMP NOT NULL)',
    `CREATE TABLE IF NOT EXISTS meta.tables (
       id BIGINT PRIMARY KEY, database_name VARCHAR NOT NULL, name VARCHAR NOT NULL,
       folder VARCHAR NOT NULL, doc_string VARCHAR NOT NULL,
       batching_policy VARCHAR, streaming_policy VARCHAR, created_on TIMESTAMP NOT NULL,
       UNIQUE (database_name, name))`,
    `CREATE TABLE IF NOT EXISTS meta.columns (
       table_id BIGINT NOT NULL, ordinal INTEGER NOT NULL, name VARCHAR NOT NULL, kql_type VARCHAR NOT NULL,
       PRIMARY KEY (table_id, ordinal))`,
    `CREATE TABLE IF NOT EXISTS meta.mappings (
       table_id BIGINT NOT NULL, kind VARCHAR NOT NULL, name VARCHAR NOT NULL, mapping VARCHAR NOT NULL,
       updated_on TIMESTAMP NOT NULL, PRIMARY KEY (table_id, kind, name))`,
    `CREATE TABLE IF NOT EXISTS meta.extents (
       id UUID PRIMARY KEY, table_id BIGINT NOT NULL, row_count BIGINT NOT NULL,
       original_size BIGINT NOT NULL, created_on TIMESTAMP NOT NULL)`,
    // Extent tags (drop-by:…, ingest-by:…), a JSON array; added to stores made before tags existed.
    "ALTER TABLE meta.extents ADD COLUMN IF NOT EXISTS tags VARCHAR DEFAULT '[]'",
  ]) {
    await connection.run(statement);
  }
}

async function rowsOf(connection: DuckDBConnection, sql: string, values: DuckDBValue[] = []): Promise<Record<string, DuckDBValue>[]> {
  const reader = await connection.runAndReadAll(sql, values);
  return reader.getRowObjects();
}

function dateOf(value: DuckDBValue): Date | null {
  return value instanceof DuckDBTimestampValue ? new Date(Number(value.micros / 1000n)) : null;
}

function nowParameter(): string {
  return new Date().toISOString();
}

export async function ensureDatabase(connection: DuckDBConnection, database: string): Promise<void> {
  await connection.run('INSERT INTO meta.databases VALUES ($1, CAST($2 AS TIMESTAMP)) ON CONFLICT DO NOTHING', [database, nowParameter()]);
}

async function loadTables(connection: DuckDBConnection, database: string, name?: string): Promise<TTableRecord[]> {
  const filter = name === undefined ? 't.database_name = $1' : 't.database_name = $1 AND t.name = $2';
  const values = name === undefined ? [database] : [database, name];
  const tables = await rowsOf(
    connection,
    `SELECT t.id, t.name, t.folder, t.doc_string, t.batching_policy, t.streaming_policy FROM meta.tables t WHERE ${filter} ORDER BY t.name`,
    values,
  );
  if (tables.length === 0) return [];
  const columns = await rowsOf(
    connection,
    `SELECT c.table_id, c.name, c.kql_type FROM meta.columns c JOIN meta.tables t ON t.id = c.table_id WHERE ${filter} ORDER BY c.table_id, c.ordinal`,
    values,
  );
  return tables.map((row) => {
    const id = Number(row.id);
    return {
      id,
      database,
      name: String(row.name),
      folder: String(row.folder),
      docString: String(row.doc_string),
      batchingPolicy: row.batching_policy === null ? null : String(row.batching_policy),
      streamingPolicy: row.streaming_policy === null ? null : String(row.streaming_policy),
      columns: columns
        .filter((column) => Number(column.table_id) === id)
        .map((column) => ({ name: String(column.name), type: ZKustoColumnType.parse(column.kql_type) })),
    };
  });
}

export function listTables(connection: DuckDBConnection, database: string): Promise<TTableRecord[]> {
  return loadTables(connection, database);
}

export async function findTable(connection: DuckDBConnection, database: string, name: string): Promise<TTableRecord | null> {
  const [table] = await loadTables(connection, database, name);
  return table ?? null;
}

export async function requireTable(connection: DuckDBConnection, database: string, name: string): Promise<TTableRecord> {
  const table = await findTable(connection, database, name);
  if (!table) throw new KustoError('notFound', `Table '${name}' was not found in database '${database}'`);
  return table;
}

export async function createTable(
  connection: DuckDBConnection,
  database: string,
  name: string,
  columns: readonly TKustoColumn[],
  properties: { folder: string; docString: string },
): Promise<TTableRecord> {
  const [{ id }] = await rowsOf(connection, "SELECT nextval('meta.table_ids') AS id");
  const tableId = Number(id);
  await connection.run('INSERT INTO meta.tables VALUES ($1, $2, $3, $4, $5, NULL, NULL, CAST($6 AS TIMESTAMP))', [
    tableId,
    database,
    name,
    properties.folder,
    properties.docString,
    nowParameter(),
  ]);
  const definitions = columns.map((column, ordinal) => `${physicalColumnName(ordinal)} ${duckdbTypeOf(column.type)}`);
  await connection.run(`CREATE TABLE ${physicalTableName(tableId)} (${definitions.join(', ')})`);
  for (const [ordinal, column] of columns.entries()) {
    await connection.run('INSERT INTO meta.columns VALUES ($1, $2, $3, $4)', [tableId, ordinal, column.name, column.type]);
  }
  return { id: tableId, database, name, folder: properties.folder, docString: properties.docString, columns: [...columns], batchingPolicy: null, streamingPolicy: null };
}

export async function addColumns(connection: DuckDBConnection, table: TTableRecord, columns: readonly TKustoColumn[]): Promise<TTableRecord> {
  let ordinal = table.columns.length;
  for (const column of columns) {
    await connection.run(`ALTER TABLE ${physicalTableName(table.id)} ADD COLUMN ${physicalColumnName(ordinal)} ${duckdbTypeOf(column.type)}`);
    await connection.run('INSERT INTO meta.columns VALUES ($1, $2, $3, $4)', [table.id, ordinal, column.name, column.type]);
    ordinal++;
  }
  return { ...table, columns: [...table.columns, ...columns] };
}

export async function updateTableProperties(connection: DuckDBConnection, table: TTableRecord, properties: { folder: string; docString: string }): Promise<TTableRecord> {
  await connection.run('UPDATE meta.tables SET folder = $2, doc_string = $3 WHERE id = $1', [table.id, properties.folder, properties.docString]);
  return { ...table, ...properties };
}

export async function dropTable(connection: DuckDBConnection, table: TTableRecord): Promise<void> {
  await connection.run(`DROP TABLE ${physicalTableName(table.id)}`);
  for (const catalogTable of ['meta.columns', 'meta.mappings', 'meta.extents']) {
    await connection.run(`DELETE FROM ${catalogTable} WHERE table_id = $1`, [table.id]);
  }
  await connection.run('DELETE FROM meta.tables WHERE id = $1', [table.id]);
}

export async function setTablePolicy(connection: DuckDBConnection, table: TTableRecord, policy: TTablePolicy, json: string | null): Promise<TTableRecord> {
  const column = policy === 'batching' ? 'batching_policy' : 'streaming_policy';
  await connection.run(`UPDATE meta.tables SET ${column} = $2 WHERE id = $1`, [table.id, json]);
  return policy === 'batching' ? { ...table, batchingPolicy: json } : { ...table, streamingPolicy: json };
}

export async function listMappings(connection: DuckDBConnection, table: TTableRecord, kind?: string): Promise<TMappingRecord[]> {
  const rows = await rowsOf(
    connection,
    `SELECT kind, name, mapping, updated_on FROM meta.mappings WHERE table_id = $1 ${kind ? 'AND kind = $2' : ''} ORDER BY kind, name`,
    kind ? [table.id, kind] : [table.id],
  );
  return rows.map((row) => ({ kind: String(row.kind), name: String(row.name), mapping: String(row.mapping), updatedOn: dateOf(row.updated_on) ?? new Date(0) }));
}

export async function findMapping(connection: DuckDBConnection, table: TTableRecord, kind: string, name: string): Promise<TMappingRecord | null> {
  const mappings = await listMappings(connection, table, kind);
  return mappings.find((mapping) => mapping.name === name) ?? null;
}

export async function saveMapping(connection: DuckDBConnection, table: TTableRecord, kind: string, name: string, mapping: string): Promise<TMappingRecord> {
  await deleteMapping(connection, table, kind, name);
  const updatedOn = new Date();
  await connection.run('INSERT INTO meta.mappings VALUES ($1, $2, $3, $4, CAST($5 AS TIMESTAMP))', [table.id, kind, name, mapping, updatedOn.toISOString()]);
  return { kind, name, mapping, updatedOn };
}

export async function deleteMapping(connection: DuckDBConnection, table: TTableRecord, kind: string, name: string): Promise<void> {
  await connection.run('DELETE FROM meta.mappings WHERE table_id = $1 AND kind = $2 AND name = $3', [table.id, kind, name]);
}

export async function recordExtent(connection: DuckDBConnection, table: TTableRecord, rowCount: number, originalSize: number, tags: readonly string[] = []): Promise<void> {
  await connection.run('INSERT INTO meta.extents (id, table_id, row_count, original_size, created_on, tags) VALUES (uuid(), $1, $2, $3, CAST($4 AS TIMESTAMP), $5)', [
    table.id,
    rowCount,
    originalSize,
    nowParameter(),
    JSON.stringify(tags),
  ]);
}

/** Which of `tags` some extent of the table already carries. */
export async function existingExtentTags(connection: DuckDBConnection, table: TTableRecord, tags: readonly string[]): Promise<Set<string>> {
  if (tags.length === 0) return new Set();
  const rows = await rowsOf(
    connection,
    'SELECT DISTINCT t.tag FROM meta.extents e, unnest(CAST(e.tags AS VARCHAR[])) AS t(tag) WHERE e.table_id = $1 AND list_contains(CAST($2 AS VARCHAR[]), t.tag)',
    [table.id, JSON.stringify(tags)],
  );
  return new Set(rows.map((row) => String(row.tag)));
}

export async function tableStatistics(connection: DuckDBConnection, table: TTableRecord): Promise<TTableStatistics> {
  const [rows] = await rowsOf(connection, `SELECT count(*) AS row_count FROM ${physicalTableName(table.id)}`);
  const [extents] = await rowsOf(
    connection,
    'SELECT count(*) AS extents, coalesce(sum(original_size), 0) AS size, min(created_on) AS min_created, max(created_on) AS max_created FROM meta.extents WHERE table_id = $1',
    [table.id],
  );
  return {
    rowCount: Number(rows.row_count),
    extentCount: Number(extents.extents),
    originalSize: Number(extents.size),
    minCreatedOn: dateOf(extents.min_created),
    maxCreatedOn: dateOf(extents.max_created),
  };
}

export interface TExtentRecord {
  id: string;
  rowCount: number;
  originalSize: number;
  createdOn: Date;
  tags: string[];
}

export async function listExtents(connection: DuckDBConnection, table: TTableRecord): Promise<TExtentRecord[]> {
  const rows = await rowsOf(connection, 'SELECT CAST(id AS VARCHAR) AS id, row_count, original_size, created_on, tags FROM meta.extents WHERE table_id = $1 ORDER BY created_on', [table.id]);
  return rows.map((row) => ({
    id: String(row.id),
    rowCount: Number(row.row_count),
    originalSize: Number(row.original_size),
    createdOn: dateOf(row.created_on) ?? new Date(0),
    tags: row.tags === null ? [] : (JSON.parse(String(row.tags)) as string[]),
  }));
}
