import type { DuckDBConnection } from '@duckdb/node-api';
import { compileJsonMapping, identityJsonMapping } from '../../lib/mapping/apply-json-mapping';
import { ZJsonMapping, type TJsonMapping, type TKustoColumn, type TKustoValue } from '../../lib/mapping/types';
import { effectiveTablePolicy } from '../mgmt/database-policies';
import { KustoError } from '../protocol/kusto-error';
import { addColumns, findMapping, findTable, recordExtent, type TTableRecord } from '../storage/catalog';
import type { TStore } from '../storage/open-store';
import { appendColumnBatches, appendRows } from './append-rows';
import type { TColumnBatch } from './column-batch';
import { runIngestJob } from './ingest-pool';
import { IngestionError } from './ingestion-error';
import { csvValue, parseIngestData, type TIngestPlan, type TParsedData } from './map-ingest-data';

export { parseIngestData, type TParsedData };

/**
 * The one ingestion path, shared by streaming ingestion (one HTTP request) and queued ingestion
 * (one blob of a sealed batch): parse the data, resolve the mapping, map, append.
 */

export interface TIngestRequest {
  database: string;
  table: string;
  format: string;
  mappingName?: string;
  /** The request body after gunzip. */
  data: Buffer;
}

/** Which mapping maps the records: the identity mapping, a stored one by name, or one sent inline (queued only). */
export type TMappingChoice = { kind: 'identity' } | { kind: 'reference'; name: string } | { kind: 'inline'; text: string };

function parseInlineMapping(text: string): TJsonMapping {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new IngestionError('badRequest', `The ingestion mapping is not valid JSON: ${(error as Error).message}`, 'BadRequest_InvalidMapping');
  }
  const parsed = ZJsonMapping.safeParse(json);
  if (!parsed.success) throw new IngestionError('badRequest', `Invalid ingestion mapping: ${parsed.error.issues.map((issue) => issue.message).join('; ')}`, 'BadRequest_InvalidMapping');
  return parsed.data;
}

async function loadJsonMapping(connection: DuckDBConnection, table: TTableRecord, mapping: TMappingChoice): Promise<TJsonMapping> {
  if (mapping.kind === 'identity') return identityJsonMapping(table.columns);
  if (mapping.kind === 'inline') return parseInlineMapping(mapping.text);
  const stored = await findMapping(connection, table, 'json', mapping.name);
  if (!stored) {
    throw new IngestionError('notFound', `Ingestion mapping '${mapping.name}' of kind 'json' was not found on table '${table.name}'`, 'BadRequest_MappingReferenceWasNotFound');
  }
  return ZJsonMapping.parse(JSON.parse(stored.mapping));
}

/** mappings.md: a mapped column missing from the table is appended on first ingest, typed by its Datatype. */
function missingMappedColumns(table: TTableRecord, mapping: TJsonMapping): TKustoColumn[] {
  return mapping.flatMap((element) =>
    element.datatype && !table.columns.some((column) => column.name === element.column) ? [{ name: element.column, type: element.datatype }] : [],
  );
}

/**
 * The plan a source of `format` is mapped with into `table`. With `addColumns` (inside the write
 * transaction) the mapping's new columns are added to the table; without, they are only planned.
 */
async function resolvePlan(
  connection: DuckDBConnection,
  table: TTableRecord,
  format: string,
  mapping: TMappingChoice,
  options: { addColumns: boolean; sourceLocation?: string },
): Promise<{ table: TTableRecord; plan: TIngestPlan; addsColumns: boolean }> {
  if (format.toLowerCase() === 'csv') {
    if (mapping.kind !== 'identity') throw new IngestionError('unsupported', 'CSV ingestion mappings are not supported by the local Kusto engine', 'BadRequest_NotSupported');
    return { table, plan: { columns: table.columns, mapping: null, sourceLocation: options.sourceLocation }, addsColumns: false };
  }
  const jsonMapping = await loadJsonMapping(connection, table, mapping);
  const missing = missingMappedColumns(table, jsonMapping);
  let widened = table;
  if (missing.length > 0) widened = options.addColumns ? await addColumns(connection, table, missing) : { ...table, columns: [...table.columns, ...missing] };
  return { table: widened, plan: { columns: widened.columns, mapping: jsonMapping, sourceLocation: options.sourceLocation }, addsColumns: missing.length > 0 };
}

export async function requireIngestionTable(connection: DuckDBConnection, database: string, name: string): Promise<TTableRecord> {
  const table = await findTable(connection, database, name);
  if (!table) throw new IngestionError('notFound', `Table '${name}' was not found in database '${database}'`, 'BadRequest_TableNotExist');
  return table;
}

/** Maps parsed records to table rows, inside the caller's transaction (it may add mapped columns). */
export async function mapIngestRecords(
  connection: DuckDBConnection,
  table: TTableRecord,
  parsed: TParsedData,
  mapping: TMappingChoice,
  sourceLocation?: string,
): Promise<{ table: TTableRecord; rows: TKustoValue[][] }> {
  const resolved = await resolvePlan(connection, table, parsed.format, mapping, { addColumns: true, sourceLocation });
  const { columns } = resolved.plan;
  if (parsed.format === 'csv') return { table: resolved.table, rows: parsed.records.map((fields) => columns.map((column, ordinal) => csvValue(fields[ordinal], column))) };
  const map = compileJsonMapping(resolved.plan.mapping ?? [], columns);
  return { table: resolved.table, rows: parsed.records.map((record) => map(record.value, { lineNumber: record.line, sourceLocation }).values) };
}

/** Appends rows as one new extent; returns the row count. */
export async function appendExtent(connection: DuckDBConnection, table: TTableRecord, rows: readonly TKustoValue[][], originalSize: number, tags: readonly string[] = []): Promise<number> {
  if (rows.length === 0) return 0;
  await appendRows(connection, table, rows);
  await recordExtent(connection, table, rows.length, originalSize, tags);
  return rows.length;
}

async function appendBatchExtent(connection: DuckDBConnection, table: TTableRecord, batch: TColumnBatch, originalSize: number): Promise<number> {
  if (batch.rowCount === 0) return 0;
  await appendColumnBatches(connection, table, [batch]);
  await recordExtent(connection, table, batch.rowCount, originalSize);
  return batch.rowCount;
}

async function requireStreamingEnabled(connection: DuckDBConnection, table: TTableRecord): Promise<void> {
  const policy = await effectiveTablePolicy(connection, table, 'streaming');
  const enabled = policy !== null && (JSON.parse(policy) as { IsEnabled?: boolean }).IsEnabled === true;
  if (!enabled) {
    // ingest-data-streaming.md: streaming needs the policy on the table or its database.
    throw new KustoError('streamingDisabled', `Streaming ingestion policy is not enabled for the table '${table.name}' in database '${table.database}'`);
  }
}

/** A streaming target resolved and checked (table, streaming policy, mapping) at one catalog version. */
interface TStreamingTarget {
  catalogVersion: number;
  table: TTableRecord;
  plan: TIngestPlan;
  /** The mapping adds columns on first ingest: a catalog change, which only the full write path makes. */
  addsColumns: boolean;
}

/** Per store, by database, table and mapping: requests after the first skip the catalog until it changes. */
const streamingTargets = new WeakMap<TStore, Map<string, TStreamingTarget>>();

function targetKey(request: TIngestRequest): string {
  return JSON.stringify([request.database, request.table, request.format.toLowerCase(), request.mappingName ?? null]);
}

/** Everything a streaming request is checked against before its rows are appended, in the order errors are reported. */
async function resolveStreamingTarget(
  connection: DuckDBConnection,
  request: TIngestRequest,
  mapping: TMappingChoice,
  options: { addColumns: boolean },
): Promise<{ table: TTableRecord; plan: TIngestPlan; addsColumns: boolean }> {
  const table = await requireIngestionTable(connection, request.database, request.table);
  await requireStreamingEnabled(connection, table);
  return resolvePlan(connection, table, request.format, mapping, options);
}

/**
 * The target as of the current catalog version, read on a reader connection when the cache has
 * none. Null when it does not resolve (yet): the write transaction reports why.
 */
async function plannedTarget(store: TStore, request: TIngestRequest, mapping: TMappingChoice): Promise<TStreamingTarget | null> {
  const key = targetKey(request);
  const targets = streamingTargets.get(store) ?? new Map<string, TStreamingTarget>();
  streamingTargets.set(store, targets);
  const cached = targets.get(key);
  if (cached?.catalogVersion === store.catalogVersion) return cached;
  // Taken before reading: a write committing meanwhile moves the version, so the result is not trusted.
  const catalogVersion = store.catalogVersion;
  try {
    const resolved = await store.read((connection) => resolveStreamingTarget(connection, request, mapping, { addColumns: false }));
    const target = { catalogVersion, ...resolved };
    if (!target.addsColumns) targets.set(key, target);
    return target;
  } catch {
    targets.delete(key);
    return null;
  }
}

function samePlan(a: TIngestPlan, b: TIngestPlan): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

const STALE = Symbol('stale catalog');

/**
 * Streaming ingestion of one request: parse everything first (a malformed record fails the whole
 * request), then map and append in a single transaction. Returns the number of rows written.
 *
 * The table, policy and mapping are resolved ahead on a reader connection (and kept until the
 * catalog changes), so parsing and mapping — nearly all the work — run before the write lock and,
 * for large requests, in an ingest worker thread; the write transaction then only appends, as long
 * as the catalog version is still the one the target was resolved at. Otherwise the target is
 * resolved again inside the transaction, with the same checks and errors, and the request mapped
 * again by the plan that holds now.
 */
export async function ingestStream(store: TStore, request: TIngestRequest): Promise<number> {
  if (request.format.toLowerCase() === 'csv' && request.mappingName !== undefined) {
    throw new IngestionError('unsupported', 'Streaming ingestion with a CSV mapping is not supported by the local Kusto engine', 'BadRequest_NotSupported');
  }
  const mapping: TMappingChoice = request.mappingName === undefined ? { kind: 'identity' } : { kind: 'reference', name: request.mappingName };
  const planned = await plannedTarget(store, request, mapping);
  const prepared = await runIngestJob({ format: request.format, data: request.data, plan: planned?.plan ?? null });
  if (planned && prepared && !planned.addsColumns) {
    const appended = await store.write(
      async (connection) => (store.catalogVersion === planned.catalogVersion ? appendBatchExtent(connection, planned.table, prepared, request.data.length) : STALE),
      { keepsCatalog: true },
    );
    if (appended !== STALE) return appended;
  }
  return store.write(async (connection) => {
    const resolved = await resolveStreamingTarget(connection, request, mapping, { addColumns: true });
    const batch = prepared && planned && samePlan(planned.plan, resolved.plan) ? prepared : await runIngestJob({ format: request.format, data: request.data, plan: resolved.plan });
    return appendBatchExtent(connection, resolved.table, batch, request.data.length);
  });
}
