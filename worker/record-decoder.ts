import { isUtf8 } from 'node:buffer';
import { KAFKA_METADATA_KEY, type TConnectorDefinition } from '../lib/connectors/connector-definition';
import { JSON_LINE_BREAKS, JSON_NON_ASCII, jsonObjectError, jsonObjectFlags } from '../lib/mapping/json-object-bytes';
import { kafkaMetadataObject } from '../lib/mapping/kafka-metadata';
import { readCsvRecord } from '../lib/mapping/read-csv-record';
import { AvroRecordDecoder } from '../lib/schema-registry/avro-records';
import type { SchemaRegistryClient } from '../lib/schema-registry/registry-client';
import { abortableDelay } from './abortable-delay';

/**
 * `line`: the record as one JSON object on one line (NDJSON), UTF-8 bytes — for JSON records the
 * value's own bytes, not copied; `invalidUtf8`: the value had bytes that are not UTF-8 (each
 * became U+FFFD, as ADX would read it). `skip`: not a record (a CSV header line).
 */
export type DecodeResult = { ok: true; line: Buffer; invalidUtf8?: boolean } | { ok: false; reason: string } | { ok: 'skip'; reason: string };

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
 * original bytes are kept (newlines outside strings are only whitespace in valid JSON, and
 * become spaces), so large integers such as epoch nanoseconds reach the target without a float
 * round-trip, and a valid UTF-8 value on one line is passed on without a copy. With `metadata`,
 * the record's Kafka coordinates are added as the object's first member.
 */
export function decodeJsonRecord(value: Buffer | null, metadata?: RecordMetadata): DecodeResult {
  if (value === null) return { ok: false, reason: 'record has no value (tombstone)' };
  // One scan says whether the value is an object, has bytes to check as UTF-8, or line breaks.
  const flags = jsonObjectFlags(value);
  if (flags < 0) return { ok: false, reason: refusalReason(value, jsonObjectError(value) ?? 'value is not a JSON object') };
  const invalidUtf8 = (flags & JSON_NON_ASCII) !== 0 && !isUtf8(value);
  let line = invalidUtf8 ? Buffer.from(value.toString('utf8'), 'utf8') : value;
  if ((flags & JSON_LINE_BREAKS) !== 0) line = onOneLine(line);
  if (metadata) line = withMetadata(line, metadata);
  return invalidUtf8 ? { ok: true, line, invalidUtf8 } : { ok: true, line };
}

/** The words for a refused value: JSON.parse's own, as users of JavaScript know them (a rare path, so it may parse). */
function refusalReason(value: Buffer, invalid: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.toString('utf8'));
  } catch (error) {
    return `value is not valid JSON: ${(error as Error).message}`;
  }
  return parsed === null || typeof parsed !== 'object' || Array.isArray(parsed) ? 'value is JSON but not an object' : invalid;
}

const LINE_FEED = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const SPACE = 0x20;

/** A copy with each line break as a space (in valid JSON they are whitespace between tokens). */
function onOneLine(line: Buffer): Buffer {
  const copy = Buffer.from(line);
  for (let index = 0; index < copy.length; index++) if (copy[index] === LINE_FEED || copy[index] === CARRIAGE_RETURN) copy[index] = SPACE;
  return copy;
}

/** A CSV line → `{"<field>": "<text>", …}` keyed by the connector's field names (values stay text; the mapping converts them). */
export function decodeCsvRecord(value: Buffer | null, options: NonNullable<TConnectorDefinition['csv']>, metadata?: RecordMetadata): DecodeResult {
  if (value === null) return { ok: false, reason: 'record has no value (tombstone)' };
  const read = readCsvRecord(value.toString('utf8'), options);
  if (!read.ok) return read;
  if ('header' in read) return { ok: 'skip', reason: 'the CSV header line' };
  const line = Buffer.from(JSON.stringify(read.record), 'utf8');
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
        if (decoded.ok) {
          const line = Buffer.from(decoded.json, 'utf8');
          return { ok: true, line: metadata ? withMetadata(line, metadata) : line };
        }
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
export function withMetadata(line: Buffer, metadata: RecordMetadata): Buffer {
  const open = line.indexOf(OPEN_OBJECT);
  let next = open + 1;
  while (next < line.length && (line[next] === SPACE || line[next] === 0x09)) next++;
  const empty = line[next] === CLOSE_OBJECT;
  const prefix = Buffer.from(`{"${KAFKA_METADATA_KEY}":${metadataJson(metadata)}${empty ? '' : ','}`, 'utf8');
  return Buffer.concat([prefix, line.subarray(open + 1)]);
}

const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
