import { KAFKA_METADATA_KEY } from '../lib/connectors/connector-definition';

export type DecodeResult = { ok: true; line: string } | { ok: false; reason: string };

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
  return { ok: true, line: metadata ? withMetadata(line, metadata) : line };
}

function metadataJson(metadata: RecordMetadata): string {
  const key = metadata.key === null ? null : metadata.key.toString('utf8');
  let keyJson: unknown = null;
  if (key !== null) {
    try {
      keyJson = JSON.parse(key);
    } catch {
      keyJson = null;
    }
  }
  return JSON.stringify({
    topic: metadata.topic,
    partition: metadata.partition,
    offset: metadata.offset,
    timestamp: new Date(metadata.timestampMs).toISOString(),
    key,
    keyJson,
    headers: metadata.headers,
  });
}

/**
 * `{"a":1}` → `{"__kafka":{…},"a":1}` without re-serialising the record (its numbers stay
 * exact). A member of the record named `__kafka` comes later and so wins, as JSON readers take
 * the last of duplicate names.
 */
function withMetadata(line: string, metadata: RecordMetadata): string {
  const open = line.indexOf('{');
  const rest = line.slice(open + 1);
  const empty = rest.trimStart().startsWith('}');
  return `{"${KAFKA_METADATA_KEY}":${metadataJson(metadata)}${empty ? '' : ','}${rest}`;
}
