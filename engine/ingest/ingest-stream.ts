import type { DuckDBConnection } from '@duckdb/node-api';
import { compileJsonMapping, identityJsonMapping } from '../../lib/mapping/apply-json-mapping';
import { convertToKustoType } from '../../lib/mapping/convert-value';
import { parseJsonLossless } from '../../lib/mapping/lossless-json';
import { JsonRecordsError, readJsonRecords, type TJsonFormat, type TJsonRecord } from '../../lib/mapping/read-json-records';
import { ZJsonMapping, type TJsonMapping, type TKustoColumn, type TKustoValue } from '../../lib/mapping/types';
import { effectiveTablePolicy } from '../mgmt/database-policies';
import { KustoError } from '../protocol/kusto-error';
import { addColumns, findMapping, findTable, recordExtent, type TTableRecord } from '../storage/catalog';
import type { TStore } from '../storage/open-store';
import { appendRows } from './append-rows';
import { IngestionError } from './ingestion-error';
import { parseCsv } from './parse-csv';

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

export type TParsedData = { format: TJsonFormat; records: TJsonRecord[] } | { format: 'csv'; records: string[][] };

/** Which mapping maps the records: the identity mapping, a stored one by name, or one sent inline (queued only). */
export type TMappingChoice = { kind: 'identity' } | { kind: 'reference'; name: string } | { kind: 'inline'; text: string };

const JSON_FORMATS: readonly string[] = ['json', 'multijson', 'singlejson'];

function decodeUtf8(data: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    throw new IngestionError('badRequest', 'The ingested data is not valid UTF-8', 'BadRequest_UnexpectedCharacterInInputStream');
  }
}

/** Parses all records up front, so a malformed record fails its whole source before anything is written. */
export function parseIngestData(formatName: string, data: Buffer, options: { ignoreFirstRecord?: boolean } = {}): TParsedData {
  const format = formatName.toLowerCase();
  if (format === 'csv') {
    const records = parseCsv(decodeUtf8(data));
    // ignoreFirstRecord (kusto-ingest-client-rest.md) skips a CSV header.
    return { format, records: options.ignoreFirstRecord ? records.slice(1) : records };
  }
  if (!JSON_FORMATS.includes(format)) {
    throw new IngestionError('unsupported', `Ingestion of format '${formatName}' is not supported by the local Kusto engine`, 'BadRequest_FormatNotSupported');
  }
  try {
    return { format: format as TJsonFormat, records: readJsonRecords(decodeUtf8(data), format as TJsonFormat) };
  } catch (error) {
    if (error instanceof JsonRecordsError) throw new IngestionError('badRequest', `Ingestion failed, nothing was written: ${error.message}`, 'BadRequest_InvalidBlob');
    throw error;
  }
}

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
async function addMappedColumns(connection: DuckDBConnection, table: TTableRecord, mapping: TJsonMapping): Promise<TTableRecord> {
  const missing: TKustoColumn[] = mapping.flatMap((element) =>
    element.datatype && !table.columns.some((column) => column.name === element.column) ? [{ name: element.column, type: element.datatype }] : [],
  );
  return missing.length ? addColumns(connection, table, missing) : table;
}

function csvValue(text: string | undefined, column: TKustoColumn): TKustoValue {
  if (column.type === 'string') return text ?? '';
  if (text === undefined || text === '') return null;
  if (column.type === 'dynamic') {
    try {
      return parseJsonLossless(text);
    } catch {
      return text;
    }
  }
  const converted = convertToKustoType(text, column.type);
  return converted.ok ? converted.value : null;
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
  if (parsed.format === 'csv') {
    if (mapping.kind !== 'identity') throw new IngestionError('unsupported', 'CSV ingestion mappings are not supported by the local Kusto engine', 'BadRequest_NotSupported');
    return { table, rows: parsed.records.map((fields) => table.columns.map((column, ordinal) => csvValue(fields[ordinal], column))) };
  }
  const jsonMapping = await loadJsonMapping(connection, table, mapping);
  const widened = await addMappedColumns(connection, table, jsonMapping);
  const map = compileJsonMapping(jsonMapping, widened.columns);
  return { table: widened, rows: parsed.records.map((record) => map(record.value, { lineNumber: record.line, sourceLocation }).values) };
}

/** Appends rows as one new extent; returns the row count. */
export async function appendExtent(connection: DuckDBConnection, table: TTableRecord, rows: readonly TKustoValue[][], originalSize: number): Promise<number> {
  if (rows.length === 0) return 0;
  await appendRows(connection, table, rows);
  await recordExtent(connection, table, rows.length, originalSize);
  return rows.length;
}

async function requireStreamingEnabled(connection: DuckDBConnection, table: TTableRecord): Promise<void> {
  const policy = await effectiveTablePolicy(connection, table, 'streaming');
  const enabled = policy !== null && (JSON.parse(policy) as { IsEnabled?: boolean }).IsEnabled === true;
  if (!enabled) {
    // ingest-data-streaming.md: streaming needs the policy on the table or its database.
    throw new KustoError('streamingDisabled', `Streaming ingestion policy is not enabled for the table '${table.name}' in database '${table.database}'`);
  }
}

/**
 * Streaming ingestion of one request: parse everything first (a malformed record fails the whole
 * request), then map and append in a single transaction. Returns the number of rows written.
 */
export async function ingestStream(store: TStore, request: TIngestRequest): Promise<number> {
  if (request.format.toLowerCase() === 'csv' && request.mappingName !== undefined) {
    throw new IngestionError('unsupported', 'Streaming ingestion with a CSV mapping is not supported by the local Kusto engine', 'BadRequest_NotSupported');
  }
  const parsed = parseIngestData(request.format, request.data);
  const mapping: TMappingChoice = request.mappingName === undefined ? { kind: 'identity' } : { kind: 'reference', name: request.mappingName };
  return store.write(async (connection) => {
    const table = await requireIngestionTable(connection, request.database, request.table);
    await requireStreamingEnabled(connection, table);
    const mapped = await mapIngestRecords(connection, table, parsed, mapping);
    return appendExtent(connection, mapped.table, mapped.rows, request.data.length);
  });
}
