import type { DuckDBConnection } from '@duckdb/node-api';
import { compileJsonMapping, identityJsonMapping } from '../../lib/mapping/apply-json-mapping';
import { convertToKustoType } from '../../lib/mapping/convert-value';
import { parseJsonLossless } from '../../lib/mapping/lossless-json';
import { JsonRecordsError, readJsonRecords, type TJsonFormat, type TJsonRecord } from '../../lib/mapping/read-json-records';
import { ZJsonMapping, type TJsonMapping, type TKustoColumn, type TKustoValue } from '../../lib/mapping/types';
import { KustoError, unsupported } from '../protocol/kusto-error';
import { addColumns, findMapping, recordExtent, requireTable, type TTableRecord } from '../storage/catalog';
import type { TStore } from '../storage/open-store';
import { appendRows } from './append-rows';
import { parseCsv } from './parse-csv';

export interface TIngestRequest {
  database: string;
  table: string;
  format: string;
  mappingName?: string;
  /** The request body after gunzip. */
  data: Buffer;
}

type TParsedData = { format: TJsonFormat; records: TJsonRecord[] } | { format: 'csv'; records: string[][] };

const JSON_FORMATS: readonly string[] = ['json', 'multijson', 'singlejson'];

function decodeUtf8(data: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    throw new KustoError('badRequest', 'The ingested data is not valid UTF-8');
  }
}

function parseData(format: string, data: Buffer): TParsedData {
  if (format === 'csv') return { format, records: parseCsv(decodeUtf8(data)) };
  if (!JSON_FORMATS.includes(format)) throw unsupported(`Streaming ingestion of format '${format}'`);
  try {
    return { format: format as TJsonFormat, records: readJsonRecords(decodeUtf8(data), format as TJsonFormat) };
  } catch (error) {
    if (error instanceof JsonRecordsError) throw new KustoError('badRequest', `Ingestion failed, nothing was written: ${error.message}`);
    throw error;
  }
}

async function loadJsonMapping(connection: DuckDBConnection, table: TTableRecord, mappingName: string | undefined): Promise<TJsonMapping> {
  if (mappingName === undefined) return identityJsonMapping(table.columns);
  const stored = await findMapping(connection, table, 'json', mappingName);
  if (!stored) throw new KustoError('notFound', `Ingestion mapping '${mappingName}' of kind 'json' was not found on table '${table.name}'`);
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

/**
 * Streaming ingestion of one request: parse everything first (a malformed record fails the whole
 * request), then map and append in a single transaction. Returns the number of rows written.
 */
export async function ingestStream(store: TStore, request: TIngestRequest): Promise<number> {
  const format = request.format.toLowerCase();
  if (format === 'csv' && request.mappingName !== undefined) throw unsupported('Streaming ingestion with a CSV mapping');
  const parsed = parseData(format, request.data);
  return store.write(async (connection) => {
    let table = await requireTable(connection, request.database, request.table);
    let rows: TKustoValue[][];
    if (parsed.format === 'csv') {
      rows = parsed.records.map((fields) => table.columns.map((column, ordinal) => csvValue(fields[ordinal], column)));
    } else {
      const mapping = await loadJsonMapping(connection, table, request.mappingName);
      table = await addMappedColumns(connection, table, mapping);
      const map = compileJsonMapping(mapping, table.columns);
      rows = parsed.records.map((record) => map(record.value, { lineNumber: record.line }).values);
    }
    if (rows.length === 0) return 0;
    await appendRows(connection, table, rows);
    await recordExtent(connection, table, rows.length, request.data.length);
    return rows.length;
  });
}
