import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { createBatchClass, createRecordBatchDecoder, createRecordDecoder, installFetchSizeLimit } from '../../lib/kafka/record-decoder';

// kafkajs's own record encoder, decoder and 64-bit integers: the reference the fast decoder must match.
const require = createRequire(import.meta.url);
const Decoder = require('kafkajs/src/protocol/decoder.js');
const encodeRecord = require('kafkajs/src/protocol/recordBatch/record/v0/index.js');
const decodeRecord = require('kafkajs/src/protocol/recordBatch/record/v0/decoder.js');
const decodeHeader = require('kafkajs/src/protocol/recordBatch/header/v0/decoder.js');
const Long = require('kafkajs/src/utils/long.js');
const { RecordBatch: encodeRecordBatch } = require('kafkajs/src/protocol/recordBatch/v0/index.js');
const decodeRecordBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder.js');
const { Types: Compression, lookupCodecByAttributes } = require('kafkajs/src/protocol/message/compression/index.js');
const { KafkaJSPartialMessageError } = require('kafkajs/src/errors.js');
const Batch = require('kafkajs/src/consumer/batch.js');

const fast = createRecordDecoder(decodeRecord, decodeHeader);

let seed = 42;
function random(): number {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
}
const pick = <T,>(values: T[]): T => values[Math.floor(random() * values.length)];
const bytes = (length: number) => Buffer.from(Array.from({ length }, () => Math.floor(random() * 256)));

interface Context {
  firstOffset: string;
  firstTimestamp: string;
  maxTimestamp: string;
  timestampType: number;
  magicByte: number;
  isControlBatch: boolean;
  partitionLeaderEpoch: number;
}

function randomContext(): Context {
  return {
    firstOffset: pick(['0', '17', '123456789', String(2 ** 53 - 2 ** 31), '9007199254740993', '9223372036854775000']),
    firstTimestamp: pick(['-1', '0', '1795852800000', '9007199254740000', '9223372036854775000']),
    maxTimestamp: pick(['1795852801234', '-1']),
    timestampType: pick([0, 1, -1]),
    magicByte: 2,
    isControlBatch: random() < 0.1,
    partitionLeaderEpoch: 0,
  };
}

function randomRecord() {
  const headerCount = pick([0, 0, 0, 1, 3]);
  const headers: Record<string, Buffer | Buffer[]> = {};
  for (let i = 0; i < headerCount; i++) {
    const name = pick(['trace', 'source', 'zoë', 'x']);
    const value = bytes(pick([0, 4, 30]));
    const seen = headers[name];
    headers[name] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return {
    offsetDelta: pick([0, 1, 63, 64, 300, 2 ** 20, 2 ** 31 - 1]),
    timestampDelta: pick<number | object>([0, 1, -1, 1_000, -86_400_000, 2 ** 40, -(2 ** 45), Long.fromString('4611686018427387904'), Long.fromString('-4611686018427387904')]),
    key: pick([null, Buffer.alloc(0), bytes(8)]),
    value: pick([null, Buffer.alloc(0), bytes(86), bytes(1_000)]),
    headers,
  };
}

/** What kafkajs's decoder gives for a record, in its order. */
const RECORD_FIELDS = ['magicByte', 'attributes', 'timestamp', 'offset', 'key', 'value', 'headers', 'isControlRecord', 'batchContext'] as const;

/** A record's fields as a plain object (the fast decoder's are read when asked for), the context copied. */
function fieldsOf(record: unknown) {
  const fields = Object.fromEntries(RECORD_FIELDS.map((field) => [field, (record as Record<string, unknown>)[field]]));
  return { ...fields, batchContext: { ...(fields.batchContext as object) } };
}

/** Decodes each record of `buffer` with `decode`, as kafkajs's batch decoder does, one Decoder per record. */
function decodeAll(decode: (decoder: never, context: Context) => unknown, buffer: Buffer, count: number, context: Context) {
  const outer = new Decoder(buffer);
  const records = [];
  for (let i = 0; i < count; i++) records.push(decode(new Decoder(outer.readVarIntBytes()) as never, context));
  return records;
}

describe('the record decoder', () => {
  it('gives exactly what kafkajs gives, field for field, on 20,000 random records', () => {
    for (let batch = 0; batch < 400; batch++) {
      const context = randomContext();
      const records = Array.from({ length: 50 }, randomRecord);
      const buffer = Buffer.concat(records.map((record) => encodeRecord(record).buffer));
      // Each decoder gets its own context object: the fast one caches its parsed bases on it.
      const expected = decodeAll(decodeRecord, buffer, records.length, { ...context });
      const actual = decodeAll(fast, buffer, records.length, { ...context });
      for (let i = 0; i < records.length; i++) {
        expect(Object.keys(expected[i] as object)).toEqual([...RECORD_FIELDS]);
        expect(fieldsOf(actual[i])).toEqual(fieldsOf(expected[i]));
        // Asked for again, a field is the same again.
        expect(fieldsOf(actual[i])).toEqual(fieldsOf(expected[i]));
        expect(JSON.parse(JSON.stringify(actual[i]))).toEqual(JSON.parse(JSON.stringify(expected[i])));
      }
    }
  });

  it('reads plain records in numbers: the offsets and timestamps kafkajs would print', () => {
    const context: Context = { firstOffset: '1000', firstTimestamp: '1795852800000', maxTimestamp: '1795852809999', timestampType: 0, magicByte: 2, isControlBatch: false, partitionLeaderEpoch: 0 };
    const buffer = Buffer.concat([0, 1, 2].map((i) => encodeRecord({ offsetDelta: i, timestampDelta: i * 10 - 5, key: null, value: Buffer.from(`{"i":${i}}`) }).buffer));
    const decoded = decodeAll(fast, buffer, 3, context) as { offset: string; timestamp: string; value: Buffer; headers: object }[];
    expect(decoded.map((record) => record.offset)).toEqual(['1000', '1001', '1002']);
    expect(decoded.map((record) => record.timestamp)).toEqual(['1795852799995', '1795852800005', '1795852800015']);
    expect(decoded.map((record) => record.value.toString())).toEqual(['{"i":0}', '{"i":1}', '{"i":2}']);
    expect(decoded[0].headers).toEqual({});
    // Records without headers share one frozen empty object: nothing may add to another record's headers.
    expect(Object.isFrozen(decoded[0].headers) && decoded[0].headers === decoded[1].headers).toBe(true);
  });
});

const fastBatchDecoder = createRecordBatchDecoder(fast, { Decoder, PartialMessageError: KafkaJSPartialMessageError, codecFor: lookupCodecByAttributes });

/** Every record batch of a fetch's bytes, as kafkajs's fetch decoder reads them: it stops at a partial batch. */
async function decodeBatches(decode: (decoder: never) => Promise<{ records: unknown[] }>, buffer: Buffer) {
  const decoder = new Decoder(buffer);
  const batches: unknown[] = [];
  while (decoder.canReadBytes(49)) {
    try {
      const { records, ...context } = await decode(decoder as never);
      // Contexts compared as plain objects: the fast decoder caches its parsed bases on them.
      batches.push({ context, records: records.map(fieldsOf) });
    } catch (error) {
      if ((error as Error).name !== 'KafkaJSPartialMessageError') throw error;
      batches.push('partial');
      break;
    }
  }
  return batches;
}

describe('the record-batch decoder', () => {
  it('gives what kafkajs gives for fetches of plain and gzip batches, also when a fetch ends inside one', async () => {
    for (let round = 0; round < 80; round++) {
      const compression = pick([Compression.None, Compression.GZIP]);
      const batches = await Promise.all(
        Array.from({ length: 1 + Math.floor(random() * 3) }, async () => {
          const records = Array.from({ length: 1 + Math.floor(random() * 40) }, randomRecord);
          const encoded = await encodeRecordBatch({
            compression,
            firstOffset: Long.fromString(pick(['0', '17', '123456789', '9007199254740993'])),
            firstTimestamp: Long.fromString(pick(['0', '1795852800000', '9223372036854775000'])),
            maxTimestamp: Long.fromString('1795852801234'),
            lastOffsetDelta: records.length - 1,
            transactional: random() < 0.2,
            records: records.map(encodeRecord),
          });
          return encoded.buffer as Buffer;
        }),
      );
      let fetched = Buffer.concat(batches);
      if (random() < 0.3) fetched = fetched.subarray(0, fetched.length - 1 - Math.floor(random() * 60));
      const expected = await decodeBatches(decodeRecordBatch, fetched);
      expect(await decodeBatches(fastBatchDecoder, fetched)).toEqual(expected);
      expect(expected.length).toBeGreaterThan(0);
    }
  });

  it('refuses a record whose length does not fit its batch or its own fields', async () => {
    const encoded = (await encodeRecordBatch({ records: [encodeRecord({ offsetDelta: 0, timestampDelta: 0, key: null, value: Buffer.from('{"a":1}') })] })).buffer as Buffer;
    // The record's length (a zigzag varint) follows the batch's 57 header bytes and its record count (4).
    const withLength = (zigzag: number) => Buffer.concat([encoded.subarray(0, 61), Buffer.from([zigzag]), encoded.subarray(62)]);
    await expect(fastBatchDecoder(new Decoder(withLength(2 * 60)))).rejects.toThrow(/runs past its batch/);
    await expect(fastBatchDecoder(new Decoder(withLength(2 * 3)))).rejects.toThrow(/longer than its length/);
    expect((await fastBatchDecoder(new Decoder(encoded))).records).toHaveLength(1);
  });
});

describe('the batch filter', () => {
  const FastBatch = createBatchClass(Batch);

  it('keeps exactly the messages kafkajs keeps: at or past the fetched offset, not aborted, not control records', () => {
    let compared = 0;
    for (let round = 0; round < 600; round++) {
      const base = BigInt(pick(['0', '3', '10', '9007199254740990']));
      const fetchedOffset = pick(['0', '5', '17', '9007199254740993', '9007199254740995']);
      const messages = Array.from({ length: Math.floor(random() * 30) }, (_, i) => ({
        offset: String(base + BigInt(i)),
        isControlRecord: random() < 0.1,
        key: random() < 0.05 ? Buffer.from([0, 0, 0, 0]) : null,
        batchContext: { producerId: pick(['1', '2']), inTransaction: random() < 0.5 },
      }));
      const abortedTransactions = random() < 0.3 ? [{ producerId: '1', firstOffset: String(base + 5n) }] : [];
      const data = { partition: 3, highWatermark: String(base + 40n), abortedTransactions, messages };
      const expected = new Batch('topic', fetchedOffset, data);
      const actual = new FastBatch('topic', fetchedOffset, data) as unknown as typeof expected;
      for (const field of ['topic', 'partition', 'highWatermark', 'fetchedOffset', 'rawMessages', 'messagesWithinOffset', 'messages'] as const) expect(actual[field]).toEqual(expected[field]);
      for (const method of ['isEmpty', 'isEmptyIncludingFiltered', 'isEmptyDueToFiltering', 'isEmptyControlRecord', 'firstOffset', 'lastOffset', 'offsetLag', 'offsetLagLow'] as const) expect(actual[method]()).toEqual(expected[method]());
      compared += expected.messages.length;
    }
    expect(compared).toBeGreaterThan(1_000);
  });
});

describe('the fetch size limit', () => {
  it('caps what a consumer group fetches per partition at the limit of the moment, never above its own setting', () => {
    let limit = 100 * 1024;
    installFetchSizeLimit(() => limit);
    const ConsumerGroup = require('kafkajs/src/consumer/consumerGroup.js');
    // What kafkajs's consumer passes that the constructor reads; the rest is used once it runs.
    const group = new ConsumerGroup({ logger: { namespace: () => ({}) }, retry: {}, maxBytesPerPartition: 1024 * 1024 });
    expect(group.maxBytesPerPartition).toBe(100 * 1024);
    limit = 4 * 1024 * 1024;
    expect(group.maxBytesPerPartition).toBe(1024 * 1024);
  });
});
