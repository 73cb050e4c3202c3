import { compileColumnSources, type TColumnSource, type TMappingContext } from '../../lib/mapping/apply-json-mapping';
import { convertToKustoType } from '../../lib/mapping/convert-value';
import { parseKustoDatetime } from '../../lib/mapping/kusto-datetime';
import { parseJsonLossless } from '../../lib/mapping/lossless-json';
import { JsonRecordsError, readJsonRecords, type TJsonFormat, type TJsonRecord } from '../../lib/mapping/read-json-records';
import type { TJsonMapping, TKustoColumn, TKustoColumnType, TKustoValue } from '../../lib/mapping/types';
import { ColumnBatchBuilder, type TColumnBatch } from './column-batch';
import { IngestionError } from './ingestion-error';
import { parseCsv } from './parse-csv';

/**
 * Parsing and mapping one source into a column batch: pure computation with no DuckDB in it, so
 * it runs the same on the event loop or in an ingest worker thread (ingest-pool.ts).
 */

export type TParsedData = { format: TJsonFormat; records: TJsonRecord[] } | { format: 'csv'; records: string[][] };

/** How a source's records become the table's columns, fixed before mapping starts. */
export interface TIngestPlan {
  /** The table's columns, including those the mapping adds on first ingest. */
  columns: TKustoColumn[];
  /** The JSON mapping; null for CSV, which maps by position. */
  mapping: TJsonMapping | null;
  /** SourceLocation for the mapping's transform. */
  sourceLocation?: string;
}

const JSON_FORMATS: readonly string[] = ['json', 'multijson', 'singlejson'];

function decodeUtf8(data: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    throw new IngestionError('badRequest', 'The ingested data is not valid UTF-8', 'BadRequest_UnexpectedCharacterInInputStream');
  }
}

/** Parses all records up front, so a malformed record fails its whole source before anything is written. */
export function parseIngestData(formatName: string, data: Uint8Array, options: { ignoreFirstRecord?: boolean } = {}): TParsedData {
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

/** A CSV field as a value of its column's type: empty text is null (empty for strings), dynamic is JSON when it parses. */
export function csvValue(text: string | undefined, column: TKustoColumn): TKustoValue {
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

type TCellWriter = (record: unknown, context: TMappingContext, row: number) => void;

/** Writes one column of a record: its source value converted to the column's type, null when it does not fit. */
function cellWriter(builder: ColumnBatchBuilder, column: number, type: TKustoColumnType, source: TColumnSource | null): TCellWriter {
  if (!source) return (_record, _context, row) => builder.setNull(column, row);
  if (type === 'datetime') {
    // convertToKustoType would format the ticks as text only for the builder to parse them again.
    return (record, context, row) => {
      const value = source(record, context);
      builder.setTicks(column, row, value.ok && typeof value.value === 'string' ? parseKustoDatetime(value.value) : null);
    };
  }
  return (record, context, row) => {
    const value = source(record, context);
    const converted = value.ok ? convertToKustoType(value.value, type) : null;
    builder.setValue(column, row, converted?.ok ? converted.value : null);
  };
}

/** Maps parsed records by the plan into one batch of the plan's columns. */
export function mapParsedData(parsed: TParsedData, plan: TIngestPlan): TColumnBatch {
  const types = plan.columns.map((column) => column.type);
  const builder = new ColumnBatchBuilder(types, parsed.records.length);
  if (parsed.format === 'csv') {
    parsed.records.forEach((fields, row) => plan.columns.forEach((column, index) => builder.setValue(index, row, csvValue(fields[index], column))));
    return builder.build();
  }
  const sources = plan.mapping ? compileColumnSources(plan.mapping, plan.columns) : plan.columns.map(() => null);
  const writers = plan.columns.map((column, index) => cellWriter(builder, index, column.type, sources[index]));
  const context: TMappingContext = { sourceLocation: plan.sourceLocation };
  parsed.records.forEach((record, row) => {
    context.lineNumber = record.line;
    for (const write of writers) write(record.value, context, row);
  });
  return builder.build();
}

/** Parses a whole source (any error fails it), then maps it when a plan is given. */
export function prepareIngestBatch(format: string, data: Uint8Array, plan: TIngestPlan | null): TColumnBatch | null {
  const parsed = parseIngestData(format, data);
  return plan ? mapParsedData(parsed, plan) : null;
}
