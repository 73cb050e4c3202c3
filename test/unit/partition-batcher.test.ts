import { describe, expect, it } from 'vitest';
import { firstLine, linesOf, OPEN_BATCHES_BUDGET_BYTES, openBatchBytes, PartitionBatcher, pooledBodyBytes, trimBodyPool } from '../../worker/partition-batcher';
import { decodeJsonRecord, withMetadata } from '../../worker/record-decoder';

const b = (text: string) => Buffer.from(text, 'utf8');

describe('partition batcher', () => {
  it('closes a batch at max records and keeps partitions apart', () => {
    const batcher = new PartitionBatcher({ maxRecords: 2, maxBytes: 1_000_000, maxAgeMs: 60_000 });
    expect(batcher.add('t', 0, 10, b('{"a":1}'))).toBe(false);
    expect(batcher.add('t', 1, 7, b('{"a":2}'))).toBe(false);
    expect(batcher.add('t', 0, 11, b('{"a":3}'))).toBe(true);
    expect(batcher.take('t/0')).toMatchObject({ body: b('{"a":1}\n{"a":3}'), lineEnds: new Uint32Array([7, 15]), offsets: new Float64Array([10, 11]), lastOffset: 11 });
    expect(batcher.take('t/0')).toBeNull();
    expect(batcher.keys()).toEqual(['t/1']);
  });

  it('closes a batch at max bytes', () => {
    const batcher = new PartitionBatcher({ maxRecords: 1000, maxBytes: 10, maxAgeMs: 60_000 });
    expect(batcher.add('t', 0, 0, b('{"a":1}'))).toBe(false);
    expect(batcher.add('t', 0, 1, b('{"a":1}'))).toBe(true);
  });

  it('says a record does not fit before it would take a batch past max bytes, so no batch exceeds the limit', () => {
    const batcher = new PartitionBatcher({ maxRecords: 1000, maxBytes: 20, maxAgeMs: 60_000 });
    const line = b('{"abc":12345}');
    expect(batcher.fits('t', 0, line)).toBe(true);
    batcher.add('t', 0, 0, line);
    expect(batcher.fits('t', 0, line)).toBe(false);
    expect(batcher.fits('t', 1, line)).toBe(true);
    expect(batcher.take('t/0')).toMatchObject({ firstOffset: 0, lastOffset: 0, bytes: 14 });
    // A record alone over the limit still fits an empty batch: the target decides what it takes.
    expect(batcher.fits('t', 0, b('x'.repeat(100)))).toBe(true);
  });

  it('reports buffers older than max age', () => {
    let now = 1_000;
    const batcher = new PartitionBatcher({ maxRecords: 1000, maxBytes: 1_000_000, maxAgeMs: 500 }, () => now);
    batcher.add('t', 3, 0, b('{}'));
    expect(batcher.keysDue()).toEqual([]);
    now += 500;
    expect(batcher.keysDue()).toEqual(['t/3']);
  });

  it('closes a batch when a fetch reaches the end of the log after a backlog, and never for a partition that keeps up', () => {
    const batcher = new PartitionBatcher({ maxRecords: 1000, maxBytes: 1_000_000, maxAgeMs: 60_000 });
    // Keeping up: every fetch reaches the end, so the batch waits for size, count or age.
    batcher.add('t', 0, 0, b('{}'));
    expect(batcher.fetchEnded('t/0', true)).toBe(false);
    batcher.add('t', 0, 1, b('{}'));
    expect(batcher.fetchEnded('t/0', true)).toBe(false);
    // A backlog: fetches leave records behind them, then one reaches the end.
    batcher.add('t', 0, 2, b('{}'));
    expect(batcher.fetchEnded('t/0', false)).toBe(false);
    batcher.add('t', 1, 0, b('{}'));
    expect(batcher.fetchEnded('t/1', true)).toBe(false);
    batcher.add('t', 0, 3, b('{}'));
    expect(batcher.fetchEnded('t/0', true)).toBe(true);
    expect(batcher.take('t/0')).toMatchObject({ offsets: new Float64Array([0, 1, 2, 3]) });
    // Drained: the next fetches that keep up batch by age again.
    batcher.add('t', 0, 4, b('{}'));
    expect(batcher.fetchEnded('t/0', true)).toBe(false);
    // Nothing open (the backlog's last batch closed by size): nothing to close.
    expect(batcher.fetchEnded('t/2', false)).toBe(false);
    expect(batcher.fetchEnded('t/2', true)).toBe(false);
    // A rebalance forgets where partitions stood.
    expect(batcher.fetchEnded('t/0', false)).toBe(false);
    batcher.clear();
    batcher.add('t', 0, 4, b('{}'));
    expect(batcher.fetchEnded('t/0', true)).toBe(false);
  });

  it('moves the commit point past skipped records without writing them', () => {
    const batcher = new PartitionBatcher({ maxRecords: 10, maxBytes: 1_000_000, maxAgeMs: 500 });
    batcher.add('t', 0, 4, b('{}'));
    batcher.skip('t', 0, 5);
    expect(batcher.take('t/0')).toMatchObject({ body: b('{}'), offsets: new Float64Array([4]), lastOffset: 5 });
  });
});

describe('a batch body', () => {
  it('joins the lines as NDJSON as they are added, growing past its first allocation, and gives any run of lines as a view', () => {
    const batcher = new PartitionBatcher({ maxRecords: 100_000, maxBytes: 4 * 1024 * 1024, maxAgeMs: 60_000 });
    const lines = Array.from({ length: 5_000 }, (_, id) => `{"id":${id},"name":"player-${id}"}`);
    lines.forEach((line, offset) => batcher.add('t', 0, offset, b(line)));
    const batch = batcher.take('t/0')!;
    expect(batch.body.toString('utf8')).toBe(lines.join('\n'));
    expect(batch.bytes).toBe(batch.body.length + 1);
    expect(linesOf(batch, 0, 1).body.toString('utf8')).toBe(lines[0]);
    expect(linesOf(batch, 2_500, 2_503)).toEqual({ body: b(lines.slice(2_500, 2_503).join('\n')), count: 3 });
    expect(linesOf(batch, 4_999, 5_000).body.toString('utf8')).toBe(lines[4_999]);
    expect(firstLine(linesOf(batch, 10, 20).body).toString('utf8')).toBe(lines[10]);
  });
});

describe('batch bodies', () => {
  const line = b(`{"pad":"${'x'.repeat(1_000)}"}`);
  const fill = (batcher: PartitionBatcher, from: number, to: number) => {
    for (let offset = from; offset < to; offset++) batcher.add('t', 0, offset, line);
    return batcher.take('t/0')!;
  };
  const text = (from: number, to: number) => Array.from({ length: to - from }, () => line.toString('utf8')).join('\n');

  it('are used again once their batch has been written, never while it waits, and only once', () => {
    const batcher = new PartitionBatcher({ maxRecords: 1_000_000, maxBytes: 4 * 1024 * 1024, maxAgeMs: 60_000 });
    const first = fill(batcher, 0, 100);
    const firstMemory = first.body.buffer;
    // The first batch is still being written: the next one gets other memory, and the first is untouched.
    const second = fill(batcher, 100, 200);
    expect(second.body.buffer).not.toBe(firstMemory);
    expect(first.body.toString('utf8')).toBe(text(0, 100));
    batcher.release(first);
    const third = fill(batcher, 200, 300);
    expect(third.body.buffer).toBe(firstMemory);
    expect(third.body.toString('utf8')).toBe(text(200, 300));
    expect(Array.from(third.offsets)).toEqual(Array.from({ length: 100 }, (_, i) => 200 + i));
    expect(second.body.toString('utf8')).toBe(text(100, 200));
    expect(() => batcher.release(first)).toThrow(/given back twice/);
  });

  it('start at the size the partition\'s last batch reached, and are left to the garbage collector when not asked for again', () => {
    const batcher = new PartitionBatcher({ maxRecords: 1_000_000, maxBytes: 4 * 1024 * 1024, maxAgeMs: 60_000 });
    batcher.release(fill(batcher, 0, 1_000));
    const before = openBatchBytes();
    batcher.add('t', 0, 1_000, line);
    // ~1 MB last time: the next batch's first body holds as much, not 64 KB doubled up to it.
    expect(openBatchBytes() - before).toBe(1024 * 1024);
    batcher.clear();
    expect(pooledBodyBytes()).toBeGreaterThan(0);
    trimBodyPool(Date.now() + 60_000);
    expect(pooledBodyBytes()).toBe(0);
  });
});

describe('open batches across the process', () => {
  it('close early once together they hold more memory than the budget, and give it back when taken or cleared', () => {
    const policy = { maxRecords: 1_000_000, maxBytes: 64 * 1024 * 1024, maxAgeMs: 60_000 };
    const [first, second] = [new PartitionBatcher(policy), new PartitionBatcher(policy)];
    const before = openBatchBytes();
    expect(second.add('t', 0, 0, b('{"small":1}'))).toBe(false);
    // What a body holds as allocated, not the bytes in it: a first body is 64 KB.
    expect(openBatchBytes() - before).toBe(64 * 1024);
    const line = b(`{"pad":"${'x'.repeat(1024 * 1024)}"}`);
    let offset = 0;
    // Under the budget, only the policy closes a batch; the record whose body takes it past closes it.
    while (!first.add('t', 0, offset++, line)) expect(openBatchBytes()).toBeLessThanOrEqual(OPEN_BATCHES_BUDGET_BYTES);
    expect(openBatchBytes()).toBeGreaterThan(OPEN_BATCHES_BUDGET_BYTES);
    // A small batch does not close for it.
    expect(second.add('t', 0, 1, b('{"small":2}'))).toBe(false);
    expect(first.take('t/0')!.offsets).toHaveLength(offset);
    expect(openBatchBytes() - before).toBe(64 * 1024);
    second.clear();
    expect(openBatchBytes()).toBe(before);
  });

  it('are copied to their size when taken mostly empty, so a batch waiting for its write holds only its lines', () => {
    const batcher = new PartitionBatcher({ maxRecords: 1_000, maxBytes: 4 * 1024 * 1024, maxAgeMs: 60_000 });
    batcher.add('t', 0, 0, b('{"a":1}'));
    batcher.add('t', 0, 1, b('{"a":2}'));
    const batch = batcher.take('t/0')!;
    expect(batch.body).toEqual(b('{"a":1}\n{"a":2}'));
    expect(batch.body.buffer.byteLength).toBeLessThan(64 * 1024);
  });
});

describe('a pinned batch (a recorded range sent again)', () => {
  it('closes at the range\'s last offset and no earlier, whatever the size, count or age', () => {
    let now = 0;
    const batcher = new PartitionBatcher({ maxRecords: 2, maxBytes: 10, maxAgeMs: 100 }, () => now);
    batcher.pin('t', 0, 'range-a', 12);
    expect(batcher.isIncomplete('t/0')).toBe(true);
    expect(batcher.add('t', 0, 10, b('{"a":1}'))).toBe(false);
    expect(batcher.fits('t', 0, b('{"a":2}'))).toBe(true);
    expect(batcher.add('t', 0, 11, b('{"a":2}'))).toBe(false);
    expect(batcher.isIncomplete('t/0')).toBe(true);
    now = 1_000;
    expect(batcher.keysDue()).toEqual([]);
    batcher.skip('t', 0, 12);
    expect(batcher.isIncomplete('t/0')).toBe(false);
    expect(batcher.take('t/0')).toEqual({ topic: 't', partition: 0, body: b('{"a":1}\n{"a":2}'), lineEnds: new Uint32Array([7, 15]), offsets: new Float64Array([10, 11]), bytes: 16, firstOffset: 10, lastOffset: 12, rangeId: 'range-a' });
    // The next batch is an ordinary one again.
    expect(batcher.add('t', 0, 13, b('{"a":3}'))).toBe(false);
    expect(batcher.take('t/0')?.rangeId).toBeUndefined();
  });

  it('is refused over an open batch', () => {
    const batcher = new PartitionBatcher({ maxRecords: 10, maxBytes: 1_000, maxAgeMs: 100 });
    batcher.add('t', 0, 1, b('{}'));
    expect(() => batcher.pin('t', 0, 'range-b', 5)).toThrow(/a batch is open/);
  });

  it('is not closed by reaching the end of the log after a backlog', () => {
    const batcher = new PartitionBatcher({ maxRecords: 10, maxBytes: 1_000, maxAgeMs: 100 });
    batcher.pin('t', 0, 'range-d', 5);
    batcher.add('t', 0, 1, b('{}'));
    expect(batcher.fetchEnded('t/0', false)).toBe(false);
    batcher.add('t', 0, 2, b('{}'));
    expect(batcher.fetchEnded('t/0', true)).toBe(false);
  });

  it('takes nothing from a pinned buffer whose records never came', () => {
    const batcher = new PartitionBatcher({ maxRecords: 10, maxBytes: 1_000, maxAgeMs: 100 });
    batcher.pin('t', 0, 'range-c', 5);
    expect(batcher.take('t/0')).toBeNull();
    expect(batcher.keys()).toEqual([]);
  });
});

describe('record decoder', () => {
  it('keeps the original bytes of a JSON object, on one line', () => {
    expect(decodeJsonRecord(b('{"t": 1700000000000000001,\n "a": "x"}'))).toEqual({ ok: true, line: b('{"t": 1700000000000000001,  "a": "x"}') });
    expect(decodeJsonRecord(b('\r\n{"a":\r\n[1, {"b": null}]}\n'))).toEqual({ ok: true, line: b('  {"a":  [1, {"b": null}]} ') });
    // A value already on one line is passed on as it is, not copied.
    const value = b('{"id": 7, "name": "Zoë"}');
    expect((decodeJsonRecord(value) as { line: Buffer }).line).toBe(value);
  });

  it('reads bytes that are not UTF-8 as U+FFFD, and says so', () => {
    const value = Buffer.concat([b('{"name": "'), Buffer.from([0xff, 0xfe]), b('"}')]);
    expect(decodeJsonRecord(value)).toEqual({ ok: true, line: b('{"name": "\ufffd\ufffd"}'), invalidUtf8: true });
  });

  it('explains why a record is refused', () => {
    expect(decodeJsonRecord(b('not json'))).toMatchObject({ ok: false, reason: expect.stringContaining('not valid JSON') });
    expect(decodeJsonRecord(b('{"a": 1,}'))).toMatchObject({ ok: false, reason: expect.stringContaining('not valid JSON') });
    expect(decodeJsonRecord(b('{"a": 1} {"b": 2}'))).toMatchObject({ ok: false, reason: expect.stringContaining('not valid JSON') });
    expect(decodeJsonRecord(b('[1,2]'))).toEqual({ ok: false, reason: 'value is JSON but not an object' });
    expect(decodeJsonRecord(b('"text"'))).toEqual({ ok: false, reason: 'value is JSON but not an object' });
    expect(decodeJsonRecord(null)).toEqual({ ok: false, reason: 'record has no value (tombstone)' });
  });

  it('puts the Kafka coordinates first, before the record\'s own members', () => {
    const metadata = { topic: 't', partition: 2, offset: 9, timestampMs: 0, key: null, headers: {} };
    const line = withMetadata(b('{"a":1}'), metadata).toString('utf8');
    expect(line).toMatch(/^\{"__kafka":\{.*"offset":9.*\},"a":1\}$/);
    expect(JSON.parse(withMetadata(b('{ }'), metadata).toString('utf8'))).toHaveProperty('__kafka.partition', 2);
  });
});
