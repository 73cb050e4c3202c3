import { describe, expect, it } from 'vitest';
import { PartitionBatcher } from '../../worker/partition-batcher';
import { decodeJsonRecord } from '../../worker/record-decoder';

describe('partition batcher', () => {
  it('closes a batch at max records and keeps partitions apart', () => {
    const batcher = new PartitionBatcher({ maxRecords: 2, maxBytes: 1_000_000, maxAgeMs: 60_000 });
    expect(batcher.add('t', 0, 10, '{"a":1}')).toBe(false);
    expect(batcher.add('t', 1, 7, '{"a":2}')).toBe(false);
    expect(batcher.add('t', 0, 11, '{"a":3}')).toBe(true);
    expect(batcher.take('t/0')).toMatchObject({ lines: ['{"a":1}', '{"a":3}'], lastOffset: 11 });
    expect(batcher.take('t/0')).toBeNull();
    expect(batcher.keys()).toEqual(['t/1']);
  });

  it('closes a batch at max bytes', () => {
    const batcher = new PartitionBatcher({ maxRecords: 1000, maxBytes: 10, maxAgeMs: 60_000 });
    expect(batcher.add('t', 0, 0, '{"a":1}')).toBe(false);
    expect(batcher.add('t', 0, 1, '{"a":1}')).toBe(true);
  });

  it('says a record does not fit before it would take a batch past max bytes, so no batch exceeds the limit', () => {
    const batcher = new PartitionBatcher({ maxRecords: 1000, maxBytes: 20, maxAgeMs: 60_000 });
    const line = '{"abc":12345}';
    expect(batcher.fits('t', 0, line)).toBe(true);
    batcher.add('t', 0, 0, line);
    expect(batcher.fits('t', 0, line)).toBe(false);
    expect(batcher.fits('t', 1, line)).toBe(true);
    expect(batcher.take('t/0')).toMatchObject({ firstOffset: 0, lastOffset: 0, bytes: 14 });
    // A record alone over the limit still fits an empty batch: the target decides what it takes.
    expect(batcher.fits('t', 0, 'x'.repeat(100))).toBe(true);
  });

  it('reports buffers older than max age', () => {
    let now = 1_000;
    const batcher = new PartitionBatcher({ maxRecords: 1000, maxBytes: 1_000_000, maxAgeMs: 500 }, () => now);
    batcher.add('t', 3, 0, '{}');
    expect(batcher.keysDue()).toEqual([]);
    now += 500;
    expect(batcher.keysDue()).toEqual(['t/3']);
  });

  it('moves the commit point past skipped records without writing them', () => {
    const batcher = new PartitionBatcher({ maxRecords: 10, maxBytes: 1_000_000, maxAgeMs: 500 });
    batcher.add('t', 0, 4, '{}');
    batcher.skip('t', 0, 5);
    expect(batcher.take('t/0')).toMatchObject({ lines: ['{}'], lastOffset: 5 });
  });
});

describe('a pinned batch (a recorded range sent again)', () => {
  it('closes at the range\'s last offset and no earlier, whatever the size, count or age', () => {
    let now = 0;
    const batcher = new PartitionBatcher({ maxRecords: 2, maxBytes: 10, maxAgeMs: 100 }, () => now);
    batcher.pin('t', 0, 'range-a', 12);
    expect(batcher.isIncomplete('t/0')).toBe(true);
    expect(batcher.add('t', 0, 10, '{"a":1}')).toBe(false);
    expect(batcher.fits('t', 0, '{"a":2}')).toBe(true);
    expect(batcher.add('t', 0, 11, '{"a":2}')).toBe(false);
    expect(batcher.isIncomplete('t/0')).toBe(true);
    now = 1_000;
    expect(batcher.keysDue()).toEqual([]);
    batcher.skip('t', 0, 12);
    expect(batcher.isIncomplete('t/0')).toBe(false);
    expect(batcher.take('t/0')).toEqual({ topic: 't', partition: 0, lines: ['{"a":1}', '{"a":2}'], offsets: [10, 11], bytes: 16, firstOffset: 10, lastOffset: 12, rangeId: 'range-a' });
    // The next batch is an ordinary one again.
    expect(batcher.add('t', 0, 13, '{"a":3}')).toBe(false);
    expect(batcher.take('t/0')?.rangeId).toBeUndefined();
  });

  it('is refused over an open batch', () => {
    const batcher = new PartitionBatcher({ maxRecords: 10, maxBytes: 1_000, maxAgeMs: 100 });
    batcher.add('t', 0, 1, '{}');
    expect(() => batcher.pin('t', 0, 'range-b', 5)).toThrow(/a batch is open/);
  });

  it('takes nothing from a pinned buffer whose records never came', () => {
    const batcher = new PartitionBatcher({ maxRecords: 10, maxBytes: 1_000, maxAgeMs: 100 });
    batcher.pin('t', 0, 'range-c', 5);
    expect(batcher.take('t/0')).toBeNull();
    expect(batcher.keys()).toEqual([]);
  });
});

describe('record decoder', () => {
  it('keeps the original text of a JSON object on one line', () => {
    expect(decodeJsonRecord(Buffer.from('{"t": 1700000000000000001,\n "a": "x"}'))).toEqual({ ok: true, line: '{"t": 1700000000000000001,  "a": "x"}' });
  });

  it('explains why a record is refused', () => {
    expect(decodeJsonRecord(Buffer.from('not json'))).toMatchObject({ ok: false, reason: expect.stringContaining('not valid JSON') });
    expect(decodeJsonRecord(Buffer.from('[1,2]'))).toEqual({ ok: false, reason: 'value is JSON but not an object' });
    expect(decodeJsonRecord(null)).toEqual({ ok: false, reason: 'record has no value (tombstone)' });
  });
});
