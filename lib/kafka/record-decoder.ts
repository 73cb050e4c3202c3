import 'server-only';
// Worker and benchmark only: Next's bundler cannot resolve kafkajs's internal modules at run time.
import { createRequire } from 'node:module';

/**
 * kafkajs's hot path for every record it reads, made cheaper where the worker spends its time,
 * each giving kafkajs exactly what its own code gives:
 *
 * - Records: kafkajs decodes each record's offset and timestamp with 64-bit `Long` arithmetic —
 *   it parses the batch's first offset and first timestamp from strings for every record, adds,
 *   and prints them back (six `Long`s and two string round trips per record); that was a fifth
 *   of the worker's CPU and much of its garbage at full speed. This decoder gives a record with
 *   the same fields and the same values — the key, value and timestamp read when asked for (see
 *   FastRecord) — working in plain numbers while they are exact (offsets and timestamps below
 *   2^53, which is every real log), and hands any record it cannot decode exactly that way to
 *   kafkajs's own decoder.
 * - Record batches: each record is decoded where it lies, instead of being cut out as a Buffer
 *   of its own wrapped in a Decoder of its own (two objects per record).
 * - Batches: a fetched message is kept when its offset is at or past the fetched one by comparing
 *   numbers, not a `Long` (a BigInt) made of every message's offset string.
 *
 * kafkajs 2.2.4 is its last release; test/unit/record-decoder.test.ts compares each with kafkajs's
 * own on random records, batches and fetches, so a change to kafkajs's formats or shapes fails
 * there, not in production.
 */

interface KafkaDecoder {
  buffer: Buffer;
  offset: number;
  readInt8(): number;
  readVarInt(): number;
  readVarIntBytes(): Buffer | null;
  readVarIntArray<T>(reader: (decoder: KafkaDecoder) => T): T[];
  readInt16(): number;
  readInt32(): number;
  readInt64(): { toString(): string };
  readArray<T>(reader: (decoder: KafkaDecoder) => T): T[];
  readAll(): Buffer;
  slice(size: number): KafkaDecoder;
  forward(size: number): void;
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
const DECODE_MESSAGES = 'kafkajs/src/protocol/requests/fetch/v4/decodeMessages.js';
const DECODER = 'kafkajs/src/protocol/decoder.js';
const ERRORS = 'kafkajs/src/errors.js';
const COMPRESSION = 'kafkajs/src/protocol/message/compression/index.js';
const BATCH = 'kafkajs/src/consumer/batch.js';
const CONSUMER_GROUP = 'kafkajs/src/consumer/consumerGroup.js';
const FILTER_ABORTED = 'kafkajs/src/consumer/filterAbortedMessages.js';
const HEADER_DECODER = 'kafkajs/src/protocol/recordBatch/header/v0/decoder.js';
const LOG_APPEND_TIME = 1;
const NO_HEADERS: Record<string, never> = Object.freeze({});
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

/** What `installKafkajsFastPaths` put in place (each only if kafkajs had not loaded the module that keeps the original). */
export interface FastPaths {
  /** Record batches decoded in place, each record by the fast decoder. */
  recordBatches: boolean;
  /** Batches filtered by offset in numbers instead of a 64-bit `Long` per record. */
  batchFilter: boolean;
}

/** A module's exports replaced in require's cache (loading kafkajs's own first, which the fast path may fall back on). */
function replaceModule<T>(id: string, replace: (original: T) => T): void {
  const resolved = require.resolve(id);
  const original = require(resolved) as T;
  const cached = require.cache[resolved];
  if (!cached) throw new Error(`kafkajs has no module ${id}`);
  cached.exports = replace(original);
}

const isFast = (exports: unknown) => (exports as { fast?: boolean } | undefined)?.fast === true;
const loaded = (id: string) => require.cache[require.resolve(id)]?.exports as unknown;

/**
 * Installs the fast paths into kafkajs (once per process; the worker and the benchmark only).
 * Each takes effect only if the kafkajs module that keeps the original has not been loaded: the
 * record-batch decoder before kafkajs decodes its first fetch (it is loaded then), the batch
 * filter before kafkajs itself is imported (its consumer keeps the Batch class it loaded with).
 */
export function installKafkajsFastPaths(): FastPaths {
  const recordBatches = isFast(loaded(BATCH_DECODER)) || (!require.cache[require.resolve(DECODE_MESSAGES)] && installRecordBatchDecoder());
  const batchFilter = isFast(loaded(BATCH)) || (!require.cache[require.resolve(CONSUMER_GROUP)] && installBatchFilter());
  return { recordBatches, batchFilter };
}

/** Where a consumer group keeps the `maxBytesPerPartition` it was created with. */
const REQUESTED_FETCH_BYTES = Symbol('kastor.maxBytesPerPartition');

/**
 * Caps the bytes every consumer group fetches per partition at `limit()`, read at each fetch
 * (kafkajs reads its `maxBytesPerPartition` then): the consumer's own setting stays the most it
 * fetches. Takes effect for consumers created after it (process-wide; the worker only).
 */
export function installFetchSizeLimit(limit: () => number): void {
  const ConsumerGroup = require(require.resolve(CONSUMER_GROUP)) as { prototype: object };
  Object.defineProperty(ConsumerGroup.prototype, 'maxBytesPerPartition', {
    configurable: true,
    get(this: { [REQUESTED_FETCH_BYTES]?: number }) {
      return Math.min(this[REQUESTED_FETCH_BYTES] ?? Infinity, limit());
    },
    set(this: { [REQUESTED_FETCH_BYTES]?: number }, bytes: number) {
      this[REQUESTED_FETCH_BYTES] = bytes;
    },
  });
}

function installRecordBatchDecoder(): boolean {
  const decodeHeader = require(require.resolve(HEADER_DECODER)) as (decoder: KafkaDecoder) => { key: string; value: Buffer | null };
  const decodeRecord = createRecordDecoder(require(require.resolve(RECORD_DECODER)) as RecordDecoder, decodeHeader);
  replaceModule<BatchDecoder>(BATCH_DECODER, () =>
    createRecordBatchDecoder(decodeRecord, {
      Decoder: require(require.resolve(DECODER)) as new (buffer: Buffer) => KafkaDecoder,
      PartialMessageError: (require(require.resolve(ERRORS)) as { KafkaJSPartialMessageError: new (message: string) => Error }).KafkaJSPartialMessageError,
      codecFor: (require(require.resolve(COMPRESSION)) as { lookupCodecByAttributes: (attributes: number) => Codec | null }).lookupCodecByAttributes,
    }),
  );
  return true;
}

function installBatchFilter(): boolean {
  replaceModule<BatchClass>(BATCH, (original) => createBatchClass(original));
  return true;
}

/** Where the last varIntAt ended. */
let afterVarInt = 0;

/** The zigzag varint at `position`, read as kafkajs's Decoder reads it (32-bit). */
function varIntAt(buffer: Buffer, position: number): number {
  let byte: number;
  let result = 0;
  let shift = 0;
  do {
    byte = buffer[position++];
    result += (byte & 0x7f) << shift;
    shift += 7;
  } while (byte >= 0x80);
  afterVarInt = position;
  return (result >>> 1) ^ -(result & 1);
}

/** A length-prefixed run of bytes at `position`, as kafkajs's readVarIntBytes gives it: null for length -1. */
function bytesAt(buffer: Buffer, position: number): Buffer | null {
  const length = varIntAt(buffer, position);
  return length === -1 ? null : buffer.subarray(afterVarInt, afterVarInt + length);
}

/**
 * A record as kafkajs's decoder gives it — `magicByte`, `attributes`, `timestamp`, `offset`,
 * `key`, `value`, `headers`, `isControlRecord`, `batchContext` — with the key, value and timestamp
 * read when asked for. kafkajs decodes a whole fetch (thousands of records) before the worker
 * handles the first, so every record's parts lived that long: its key and value as a Buffer each
 * and its timestamp as a string were two thirds of what it kept alive, and the garbage collector
 * copied them at every young-generation collection. Now a record is one object holding where its
 * bytes lie; the Buffer the worker asks for is made when it asks, and dies young. kafkajs itself
 * reads only `offset`, `isControlRecord` and `batchContext`. Not a plain object: a copy made by
 * spreading one has none of the read-when-asked fields (nothing in kafkajs or Kastor spreads one).
 */
class FastRecord {
  constructor(
    private readonly buffer: Buffer,
    private readonly keyAt: number,
    private readonly valueAt: number,
    readonly offset: string,
    private readonly timestampDelta: number,
    readonly attributes: number,
    readonly headers: Record<string, Buffer | null | (Buffer | null)[]>,
    readonly batchContext: BatchContext,
  ) {}

  get magicByte(): number | undefined {
    return this.batchContext.magicByte;
  }

  get isControlRecord(): boolean {
    return this.batchContext.isControlBatch ?? false;
  }

  get timestamp(): string {
    const { timestampType, maxTimestamp } = this.batchContext;
    if (timestampType === LOG_APPEND_TIME && maxTimestamp) return maxTimestamp;
    return String((basesOf(this.batchContext) as Bases).timestamp + this.timestampDelta);
  }

  get key(): Buffer | null {
    return bytesAt(this.buffer, this.keyAt);
  }

  get value(): Buffer | null {
    return bytesAt(this.buffer, this.valueAt);
  }

  /** What JSON.stringify of kafkajs's record gives. */
  toJSON(): object {
    const { magicByte, attributes, timestamp, offset, key, value, headers, isControlRecord, batchContext } = this;
    return { magicByte, attributes, timestamp, offset, key, value, headers, isControlRecord, batchContext };
  }
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
    if (!(batchContext.timestampType === LOG_APPEND_TIME && batchContext.maxTimestamp) && !Number.isSafeInteger(bases.timestamp + timestampDelta)) {
      decoder.offset = start;
      return original(decoder, batchContext);
    }
    const offsetDelta = decoder.readVarInt();
    const offsetSum = bases.offset + offsetDelta;
    if (!Number.isSafeInteger(offsetSum)) {
      decoder.offset = start;
      return original(decoder, batchContext);
    }
    const offset = String(offsetSum);
    // The key and value are passed over, not cut out: a record read later reads them then.
    const keyAt = decoder.offset;
    const keyLength = decoder.readVarInt();
    if (keyLength > 0) decoder.offset += keyLength;
    const valueAt = decoder.offset;
    const valueLength = decoder.readVarInt();
    if (valueLength > 0) decoder.offset += valueLength;
    if (keyLength < -1 || valueLength < -1) {
      decoder.offset = start;
      return original(decoder, batchContext);
    }
    // No headers is one zero byte: one frozen empty object for every such record (an object
    // each was a seventh of what a record keeps alive); anything else is built as kafkajs does.
    let headers: Record<string, Buffer | null | (Buffer | null)[]>;
    if (decoder.buffer[decoder.offset] === 0) {
      decoder.offset += 1;
      headers = NO_HEADERS;
    } else {
      headers = decoder.readVarIntArray(decodeHeader).reduce<Record<string, Buffer | null | (Buffer | null)[]>>((obj, { key: name, value: headerValue }) => {
        const seen = obj[name];
        return { ...obj, [name]: seen === undefined ? headerValue : Array.isArray(seen) ? seen.concat([headerValue]) : [seen, headerValue] };
      }, {});
    }
    return new FastRecord(decoder.buffer, keyAt, valueAt, offset, timestampDelta, attributes, headers, batchContext);
  };
  return Object.assign(decode, { fast: true });
}

interface Codec {
  decompress(buffer: Buffer): Promise<Buffer>;
}

type BatchDecoder = ((fetchDecoder: KafkaDecoder) => Promise<BatchContext & { records: unknown[] }>) & { fast?: boolean };

const TIMESTAMP_TYPE_FLAG_MASK = 0x8;
const TRANSACTIONAL_FLAG_MASK = 0x10;
const CONTROL_FLAG_MASK = 0x20;
const CREATE_TIME = 0;

/**
 * kafkajs's record-batch decoder (recordBatch/v0/decoder.js) line for line, except that each
 * record is decoded where it lies: kafkajs cuts every record out as a Buffer of its own and wraps
 * it in a Decoder of its own before reading it — two objects per record, garbage at once.
 */
export function createRecordBatchDecoder(
  decodeRecord: RecordDecoder,
  kafkajs: { Decoder: new (buffer: Buffer) => KafkaDecoder; PartialMessageError: new (message: string) => Error; codecFor: (attributes: number) => Codec | null },
): BatchDecoder {
  const inPlace = (decoder: KafkaDecoder, context: BatchContext) => {
    const length = decoder.readVarInt();
    const end = decoder.offset + length;
    if (length < 0 || end > decoder.buffer.length) throw new RangeError(`record of ${length} bytes at ${decoder.offset} runs past its batch (${decoder.buffer.length} bytes)`);
    const record = decodeRecord(decoder, context);
    if (decoder.offset > end) throw new RangeError(`record at ${end - length} is longer than its length (${length} bytes)`);
    decoder.offset = end;
    return record;
  };
  const decodeBatch = async (fetchDecoder: KafkaDecoder) => {
    const firstOffset = fetchDecoder.readInt64().toString();
    const length = fetchDecoder.readInt32();
    const decoder = fetchDecoder.slice(length);
    fetchDecoder.forward(length);
    const remainingBytes = Buffer.byteLength(decoder.buffer);
    if (remainingBytes < length) throw new kafkajs.PartialMessageError(`Tried to decode a partial record batch: remainingBytes(${remainingBytes}) < recordBatchLength(${length})`);
    const partitionLeaderEpoch = decoder.readInt32();
    const magicByte = decoder.readInt8();
    decoder.readInt32(); // CRC: kafkajs does not check it either
    const attributes = decoder.readInt16();
    const lastOffsetDelta = decoder.readInt32();
    const firstTimestamp = decoder.readInt64().toString();
    const maxTimestamp = decoder.readInt64().toString();
    const producerId = decoder.readInt64().toString();
    const producerEpoch = decoder.readInt16();
    const firstSequence = decoder.readInt32();
    const recordContext = {
      firstOffset,
      firstTimestamp,
      partitionLeaderEpoch,
      inTransaction: (attributes & TRANSACTIONAL_FLAG_MASK) > 0,
      isControlBatch: (attributes & CONTROL_FLAG_MASK) > 0,
      lastOffsetDelta,
      producerId,
      producerEpoch,
      firstSequence,
      maxTimestamp,
      timestampType: (attributes & TIMESTAMP_TYPE_FLAG_MASK) > 0 ? LOG_APPEND_TIME : CREATE_TIME,
    };
    const context = { ...recordContext, magicByte };
    const codec = kafkajs.codecFor(attributes);
    let records: unknown[];
    if (!codec) records = decoder.readArray((records) => inPlace(records, context));
    else {
      const count = decoder.readInt32();
      if (count <= 0) records = [];
      else {
        const decompressed = new kafkajs.Decoder(await codec.decompress(decoder.readAll()));
        records = new Array(count);
        for (let i = 0; i < count; i++) records[i] = inPlace(decompressed, context);
      }
    }
    return { ...recordContext, records };
  };
  return Object.assign(decodeBatch, { fast: true });
}

interface PartitionData {
  partition: number;
  highWatermark: string;
  abortedTransactions?: unknown[];
  messages: { offset: string; isControlRecord?: boolean }[];
}

type BatchClass = new (topic: string, fetchedOffset: string, partitionData: PartitionData) => { messagesWithinOffset: unknown[]; messages: unknown[]; rawMessages: unknown[] };

/**
 * kafkajs's Batch, but keeping a message when its offset is at or past the fetched one by
 * comparing numbers, not a 64-bit `Long` made of each message's offset string. Exact: the
 * fetched offset is a safe integer (else kafkajs's own filter runs), and any integer string
 * converts to a number on the same side of it. Aborted transactions are left to kafkajs as
 * before. kafkajs copies the messages twice per batch; here a list from which nothing is left out
 * is the decoded one itself (nothing in kafkajs or the worker changes a batch's lists).
 */
export function createBatchClass(Original: BatchClass): BatchClass {
  const filterAborted = require(require.resolve(FILTER_ABORTED)) as (batch: { messages: unknown[]; abortedTransactions?: unknown[] }) => PartitionData['messages'];
  class Batch extends Original {
    constructor(topic: string, fetchedOffset: string, partitionData: PartitionData) {
      const fetched = exactNumber(typeof fetchedOffset === 'number' ? String(fetchedOffset) : fetchedOffset);
      super(topic, fetchedOffset, fetched === null ? partitionData : { ...partitionData, messages: [] });
      if (fetched === null) return;
      const { messages, abortedTransactions } = partitionData;
      this.rawMessages = messages;
      // Where nothing is left out (nearly always) the arrays are the one kafkajs decoded, not copies.
      const within = messages.every((message) => Number(message.offset) >= fetched) ? messages : messages.filter((message) => Number(message.offset) >= fetched);
      this.messagesWithinOffset = within;
      const kept = filterAborted({ messages: within, abortedTransactions });
      this.messages = kept.some((message) => message.isControlRecord) ? kept.filter((message) => !message.isControlRecord) : kept;
    }
  }
  return Object.assign(Batch, { fast: true });
}
