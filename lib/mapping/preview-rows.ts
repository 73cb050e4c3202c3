import { z } from 'zod';
import { KAFKA_METADATA_KEY, ZColumn, ZCsvOptions, type TColumn, type TCsvOptions } from '../connectors/connector-definition';
import { compileJsonMapping, type TMappedRecord } from './apply-json-mapping';
import { kafkaMetadataObject, type TKafkaRecordMetadata } from './kafka-metadata';
import { readCsvRecord } from './read-csv-record';
import { detectCsvLayout } from './sample-layout';
import { JsonSyntaxError, parseJsonLossless } from './lossless-json';
import type { TJsonMappingElement, TJsonValue } from './types';

const ZSampleMetadata = z.object({
  topic: z.string().max(249),
  partition: z.number().int().min(0),
  offset: z.number().int().min(0),
  timestamp: z.string().max(40),
  key: z.string().max(1_000_000).nullable(),
  headers: z.record(z.string().max(256), z.string().max(1_000_000)),
});

export const ZPreviewInput = z.object({
  /** Record values; Avro records as the JSON their decoding gives (the sample step decodes them). */
  samples: z.array(z.string()).max(1000, 'takes at most 1,000 samples'),
  format: z.enum(['json', 'csv'], { message: 'must be "json" or "csv"' }),
  csv: ZCsvOptions.optional(),
  /** Each sample's Kafka coordinates, key and headers, in the samples' order, for columns mapped from `$.__kafka`. */
  metadata: z.array(ZSampleMetadata).max(1000).optional(),
  columns: z.array(ZColumn).min(1, 'needs at least one column'),
});
export type TPreviewInput = z.infer<typeof ZPreviewInput>;
export type TSampleMetadata = z.infer<typeof ZSampleMetadata>;

export type TPreviewValue = string | number | boolean | null | TPreviewValue[] | { [key: string]: TPreviewValue };

export interface TPreviewRow {
  values: TPreviewValue[];
  nulls: TMappedRecord['nulls'];
}

/** JSON has no bigint: a long beyond 2^53 is shown as its exact digits. */
function toPreviewValue(value: TJsonValue): TPreviewValue {
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (Array.isArray(value)) return value.map(toPreviewValue);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, member]) => [key, toPreviewValue(member)]));
  return value;
}

function readRecord(sample: string, format: 'json' | 'csv', csv: TCsvOptions | undefined): { ok: true; record: unknown } | { ok: false; reason: string } {
  if (format === 'csv') {
    const read = readCsvRecord(sample, csv ?? detectCsvLayout([sample]) ?? ZCsvOptions.parse({ fields: ['field1'] }));
    if (!read.ok) return read;
    return 'header' in read ? { ok: false, reason: 'the header line: not a row' } : { ok: true, record: read.record };
  }
  try {
    return { ok: true, record: parseJsonLossless(sample) };
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    return { ok: false, reason: `the message is not valid JSON: ${error.message}` };
  }
}

function withKafkaMetadata(record: unknown, metadata: TSampleMetadata | undefined): unknown {
  if (!metadata || record === null || typeof record !== 'object' || Array.isArray(record)) return record;
  const envelope: TKafkaRecordMetadata = { ...metadata, timestampMs: Date.parse(metadata.timestamp) };
  return { [KAFKA_METADATA_KEY]: kafkaMetadataObject(envelope), ...record };
}

/**
 * Each sample as the row it would become, mapped by the same code the engine runs at ingestion;
 * a CSV record is read into an object keyed by its field names, as the worker does, and the Kafka
 * metadata is added under `$.__kafka` as the worker adds it.
 */
export function previewRows(
  samples: readonly string[],
  format: 'json' | 'csv',
  columns: readonly TColumn[],
  options: { csv?: TCsvOptions; metadata?: readonly TSampleMetadata[] } = {},
): TPreviewRow[] {
  const mapping: TJsonMappingElement[] = columns.map((column) => ({ column: column.name, datatype: column.type, path: column.path, transform: column.transform }));
  const mapRecord = compileJsonMapping(mapping, columns);
  return samples.map((sample, index) => {
    const read = readRecord(sample, format, options.csv);
    if (!read.ok) return { values: columns.map(() => null), nulls: columns.map((column) => ({ column: column.name, reason: read.reason })) };
    const mapped = mapRecord(withKafkaMetadata(read.record, options.metadata?.[index]));
    return { values: mapped.values.map(toPreviewValue), nulls: mapped.nulls };
  });
}
