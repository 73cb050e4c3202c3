import { isUtf8 } from 'node:buffer';
import { KAFKA_METADATA_KEY, type TConnectorDefinition } from '../lib/connectors/connector-definition';
import { kafkaMetadataObject } from '../lib/mapping/kafka-metadata';
import { readCsvRecord } from '../lib/mapping/read-csv-record';
import { AvroRecordDecoder } from '../lib/schema-registry/avro-records';
import type { SchemaRegistryClient } from '../lib/schema-registry/registry-client';
import { abortableDelay } from './abortable-delay';

/**
 * `line`: the record as one JSON object (NDJSON); `invalidUtf8`: its text had bytes that are not
 * UTF-8 (each became U+FFFD, as ADX would read it). `skip`: not a record (a CSV header line).
 */
export type DecodeResult = { ok: true; line: string; invalidUtf8?: boolean } | { ok: false; reason: string } | { ok: 'skip'; reason: string };

/** A record's Kafka coordinates and envelope, offered to mappings under `$.__kafka`. */
export interface RecordMetadata {
  topic: string;
  partition: number;
  offset: number;
  /** Milliseconds since the epoch, as Kafka stores it. */
  timestampMs: number;
  key: Buffer | null;
  headers: Record<string, string>;
}

/**
 * Validates a record value as one JSON object and returns it as a single NDJSON line. The
 * original text is kept (newlines outside strings are only whitespace in valid JSON), so large
 * integers such as epoch nanoseconds reach the target without a float round-trip. With
 * `metadata`, the record's Kafka coordinates are added as the object's first member.
 */
export function decodeJsonRecord(value: Buffer | null, metadata?: RecordMetadata): DecodeResult {
  if (value === null) return { ok: false, reason: 'record has no value (tombstone)' };
  const text = value.toString('utf8');
  const invalidUtf8 = !isUtf8(value);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `value is not valid JSON: ${(error as Error).message}` };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { ok: false, reason: 'value is JSON but not an object' };
  }
  const line = text.includes('\n') || text.includes('\r') ? text.replace(/[\r\n]+/g, ' ') : text;
  return { ok: true, line: metadata ? withMetadata(line, metadata) : line, ...(invalidUtf8 && { invalidUtf8 }) };
}

/** A CSV line → `{"<field>": "<text>", …}` keyed by the connector's field names (values stay text; the mapping converts them). */
export function decodeCsvRecord(value: Buffer | null, options: NonNullable<TConnectorDefinition['csv']>, metadata?: RecordMetadata): DecodeResult {
  if (value === null) return { ok: false, reason: 'record has no value (tombstone)' };
  const read = readCsvRecord(value.toString('utf8'), options);
  if (!read.ok) return read;
  if ('header' in read) return { ok: 'skip', reason: 'the CSV header line' };
  const line = JSON.stringify(read.record);
  return { ok: true, line: metadata ? withMetadata(line, metadata) : line, ...(!isUtf8(value) && { invalidUtf8: true }) };
}

export type RecordDecoder = (value: Buffer | null, metadata: RecordMetadata | undefined, signal: AbortSignal) => DecodeResult | Promise<DecodeResult>;

/**
 * The connector's format as one function: every format becomes one JSON object per record, so
 * batching, bisecting and queued blobs stay the same. Avro waits out a registry that does not
 * answer (the records are not at fault) until the pipeline stops; an unknown schema id is the
 * record's fault and follows the error policy.
 */
export function createRecordDecoder(definition: Pick<TConnectorDefinition, 'format' | 'csv'>, registry: SchemaRegistryClient | null): RecordDecoder {
  if (definition.format === 'csv') {
    const options = definition.csv!;
    return (value, metadata) => decodeCsvRecord(value, options, metadata);
  }
  if (definition.format === 'avro') {
    const avro = registry ? new AvroRecordDecoder(registry) : null;
    return async (value, metadata, signal) => {
      if (value === null) return { ok: false, reason: 'record has no value (tombstone)' };
      if (!avro) return { ok: false, reason: 'the Kafka connection has no schema registry, so Avro values cannot be decoded' };
      for (let attempt = 0; ; attempt++) {
        const decoded = await avro.decode(value);
        if (decoded.ok) return { ok: true, line: metadata ? withMetadata(decoded.json, metadata) : decoded.json };
        if (!decoded.retryable) return { ok: false, reason: decoded.reason };
        if (attempt === 0) console.error(`schema registry not answering, retrying: ${decoded.reason}`);
        await abortableDelay(Math.min(10_000, 250 * 2 ** attempt), signal);
      }
    };
  }
  return (value, metadata) => decodeJsonRecord(value, metadata);
}

function metadataJson(metadata: RecordMetadata): string {
  return JSON.stringify(kafkaMetadataObject({ ...metadata, key: metadata.key === null ? null : metadata.key.toString('utf8') }));
}

/**
 * `{"a":1}` → `{"__kafka":{…},"a":1}` without re-serialising the record (its numbers stay
 * exact). A member of the record named `__kafka` comes later and so wins, as JSON readers take
 * the last of duplicate names.
 */
export function withMetadata(line: string, metadata: RecordMetadata): string {
  const open = line.indexOf('{');
  const rest = line.slice(open + 1);
  const empty = rest.trimStart().startsWith('}');
  return `{"${KAFKA_METADATA_KEY}":${metadataJson(metadata)}${empty ? '' : ','}${rest}`;
}
