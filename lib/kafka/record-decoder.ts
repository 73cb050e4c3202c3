import 'server-only';
// Worker and benchmark only: Next's bundler cannot resolve kafkajs's internal modules at run time.
import { createRequire } from 'node:module';

/**
 * kafkajs decodes each record's offset and timestamp with 64-bit `Long` arithmetic: it parses
 * the batch's first offset and first timestamp from strings for every record, adds, and prints
 * them back (six `Long`s and two string round trips per record). That was a fifth of the
 * worker's CPU and much of its garbage at full speed. This decoder gives kafkajs exactly the same
 * record object — same fields, same strings — working in plain numbers while they are exact
 * (offsets and timestamps below 2^53, which is every real log), and hands any record it cannot
 * decode exactly that way to kafkajs's own decoder.
 *
 * kafkajs 2.2.4 is its last release; test/unit/record-decoder.test.ts compares the two on random records,
 * so a change to kafkajs's record format or shape fails there, not in production.
 */

interface KafkaDecoder {
  buffer: Buffer;
  offset: number;
  readInt8(): number;
  readVarInt(): number;
  readVarIntBytes(): Buffer | null;
  readVarIntArray<T>(reader: (decoder: KafkaDecoder) => T): T[];
}

interface BatchContext {
  firstOffset?: string;
  firstTimestamp?: string;
  maxTimestamp?: string;
  timestampType?: number;
  magicByte?: number;
  isControlBatch?: boolean;
}

type RecordDecoder = (decoder: KafkaDecoder, batchContext?: BatchContext) => unknown;

const require = createRequire(import.meta.url);
const RECORD_DECODER = 'kafkajs/src/protocol/recordBatch/record/v0/decoder.js';
const BATCH_DECODER = 'kafkajs/src/protocol/recordBatch/v0/decoder.js';
const HEADER_DECODER = 'kafkajs/src/protocol/recordBatch/header/v0/decoder.js';
const LOG_APPEND_TIME = 1;
const BASES = Symbol('kastor.recordBases');

interface Bases {
  offset: number;
  timestamp: number;
}

/** A decimal string as a number, or null when the number would not be exactly that string. */
function exactNumber(text: string | undefined): number | null {
  if (text === undefined) return null;
  const value = Number(text);
  return Number.isSafeInteger(value) && String(value) === text ? value : null;
}

/** The batch's first offset and timestamp as numbers, parsed once per batch; null if either is not exact. */
function basesOf(context: BatchContext & { [BASES]?: Bases | null }): Bases | null {
  let bases = context[BASES];
  if (bases === undefined) {
    const offset = exactNumber(context.firstOffset);
    const timestamp = exactNumber(context.firstTimestamp);
    bases = offset === null || timestamp === null ? null : { offset, timestamp };
    // Not enumerable: the context is kafkajs's, and copies of it stay as kafkajs made them.
    Object.defineProperty(context, BASES, { value: bases, enumerable: false });
  }
  return bases;
}

/** A zigzag varlong as a number, or null when it is 2^53 or more (kafkajs's `Long` path decodes it). */
function readVarLong(decoder: KafkaDecoder): number | null {
  const { buffer } = decoder;
  let value = 0;
  let scale = 1;
  let byte: number;
  do {
    if (scale > 2 ** 63) return null;
    byte = buffer[decoder.offset++];
    value += (byte & 0x7f) * scale;
    scale *= 128;
  } while (byte >= 0x80);
  if (value > Number.MAX_SAFE_INTEGER) return null;
  return value % 2 === 0 ? value / 2 : -(value + 1) / 2;
}

/**
 * Installs the decoder into kafkajs (once per process). It takes effect only if kafkajs has not
 * read a batch yet — its batch decoder keeps the record decoder it was loaded with — and says so.
 */
export function installRecordDecoder(): boolean {
  const recordPath = require.resolve(RECORD_DECODER);
  const original = require(recordPath) as RecordDecoder;
  if ((original as { fast?: boolean }).fast) return true;
  if (require.cache[require.resolve(BATCH_DECODER)]) return false;
  const decodeHeader = require(require.resolve(HEADER_DECODER)) as (decoder: KafkaDecoder) => { key: string; value: Buffer | null };
  const cached = require.cache[recordPath];
  if (!cached) throw new Error(`kafkajs has no module ${RECORD_DECODER}`);
  const fast = createRecordDecoder(original, decodeHeader);
  cached.exports = fast;
  return true;
}

/** The fast decoder over kafkajs's own (for what it cannot decode exactly) and header decoder. */
export function createRecordDecoder(original: RecordDecoder, decodeHeader: (decoder: KafkaDecoder) => { key: string; value: Buffer | null }): RecordDecoder {
  const decode = (decoder: KafkaDecoder, batchContext: BatchContext = {}) => {
    const bases = basesOf(batchContext);
    if (bases === null) return original(decoder, batchContext);
    const start = decoder.offset;
    const attributes = decoder.readInt8();
    const timestampDelta = readVarLong(decoder);
    if (timestampDelta === null) {
      decoder.offset = start;
      return original(decoder, batchContext);
    }
    const { magicByte, isControlBatch = false, timestampType, maxTimestamp } = batchContext;
    let timestamp: string;
    if (timestampType === LOG_APPEND_TIME && maxTimestamp) timestamp = maxTimestamp;
    else {
      const sum = bases.timestamp + timestampDelta;
      if (!Number.isSafeInteger(sum)) {
        decoder.offset = start;
        return original(decoder, batchContext);
      }
      timestamp = String(sum);
    }
    const offsetDelta = decoder.readVarInt();
    const offsetSum = bases.offset + offsetDelta;
    if (!Number.isSafeInteger(offsetSum)) {
      decoder.offset = start;
      return original(decoder, batchContext);
    }
    const offset = String(offsetSum);
    const key = decoder.readVarIntBytes();
    const value = decoder.readVarIntBytes();
    // No headers is one zero byte; anything else is built as kafkajs builds it.
    let headers: Record<string, Buffer | null | (Buffer | null)[]>;
    if (decoder.buffer[decoder.offset] === 0) {
      decoder.offset += 1;
      headers = {};
    } else {
      headers = decoder.readVarIntArray(decodeHeader).reduce<Record<string, Buffer | null | (Buffer | null)[]>>((obj, { key: name, value: headerValue }) => {
        const seen = obj[name];
        return { ...obj, [name]: seen === undefined ? headerValue : Array.isArray(seen) ? seen.concat([headerValue]) : [seen, headerValue] };
      }, {});
    }
    return { magicByte, attributes, timestamp, offset, key, value, headers, isControlRecord: isControlBatch, batchContext };
  };
  return Object.assign(decode, { fast: true });
}
