import type { TFlushPolicy } from '../lib/connectors/connector-definition';

export interface BufferedBatch {
  topic: string;
  partition: number;
  /**
   * The records as NDJSON: one JSON object per line (see DecodeResult), joined by newlines. Each
   * record is copied here as it is added, so a batch is one buffer outside the JavaScript heap
   * rather than tens of thousands of objects the garbage collector would move while it fills.
   */
  body: Buffer;
  /**
   * Where each line ends in `body` (exclusive). Typed arrays, like the body, so the garbage
   * collector neither scans nor moves a number per record; 32 bits suffice, as a batch is at most
   * the flush policy's max bytes (QUEUED_BLOB_LIMIT_BYTES, 1 GB).
   */
  lineEnds: Uint32Array;
  /** The offset of each line, so a rejected line can be named and read back. */
  offsets: Float64Array;
  bytes: number;
  /** Offset of the first record covered, including skipped ones. */
  firstOffset: number;
  /** Offset of the last record covered, including skipped ones: commit `lastOffset + 1`. */
  lastOffset: number;
  /** Exactly-once queued: the recorded range this batch sends again, under the same source id. */
  rangeId?: string;
}

interface PartitionBuffer extends BufferedBatch {
  /** Bytes of `body` in use; the rest is room to grow. */
  used: number;
  /** Lines added: `lineEnds` and `offsets` have room to grow past it. */
  count: number;
  openedAt: number;
  /** A pinned buffer is closed at this offset and no earlier: neither size, count nor age closes it. */
  pinnedTo?: number;
}

export function partitionKey(topic: string, partition: number): string {
  return `${topic}/${partition}`;
}

/** A run of a batch's lines, as one NDJSON body (a view of the batch's, not a copy). */
export interface Lines {
  body: Buffer;
  count: number;
}

/** Lines [from, to) of a batch. */
export function linesOf(batch: BufferedBatch, from: number, to: number): Lines {
  const start = from === 0 ? 0 : batch.lineEnds[from - 1] + 1;
  return { body: batch.body.subarray(start, batch.lineEnds[to - 1]), count: to - from };
}

/** The first line of an NDJSON body. */
export function firstLine(body: Buffer): Buffer {
  const end = body.indexOf(0x0a);
  return end === -1 ? body : body.subarray(0, end);
}

/** A batch's first allocation; it doubles as it fills, up to the flush policy's max bytes. */
const INITIAL_BODY_BYTES = 64 * 1024;
const EMPTY = Buffer.alloc(0);
/** Lines a batch's first line index has room for; it doubles as it fills. */
const INITIAL_LINES = 1024;

/**
 * Batch bodies, used again once their batch is written. A body is allocated outside the
 * JavaScript heap and freed only when the garbage collector finds its Buffer dead, which it looks
 * for rarely (when tens of MB of such memory have come and gone), so with a fresh body for every
 * batch much of the worker's memory at full load was bodies already written and not yet freed,
 * and every fresh body's pages faulted in again as records were copied into it. A body goes back
 * here when its batch's write has settled (PartitionBatcher.release: nothing reads a body after
 * that — the sink compresses it before it sends) or when a larger one replaces it; bodies not
 * asked for again within POOL_IDLE_MS are left to the garbage collector, so an idle worker holds
 * none. Bodies come in powers of two (and the flush policy's max bytes), so they fit again.
 * Measured with `npm run bench`, 10 connectors, alternating runs: 280–286 MB peak RSS and
 * 3.0–3.2 CPU-s per million events against 301 MB and 3.5–3.6 without the pool.
 */
const POOL_LIMIT_BYTES = 32 * 1024 * 1024;
const POOL_IDLE_MS = 5_000;
const pool = new Map<number, { body: ArrayBuffer; at: number }[]>();
let pooledBytes = 0;
const released = new WeakSet<BufferedBatch>();
let poolTrimmer: NodeJS.Timeout | null = null;

/** A body of exactly `size` bytes, from the pool when one is there (its contents are stale). */
function bodyOf(size: number): Buffer {
  const free = pool.get(size)?.pop();
  if (!free) return Buffer.allocUnsafe(size);
  pooledBytes -= size;
  return Buffer.from(free.body);
}

/** Gives a body back for another batch. Only a whole body made by bodyOf: a view of part of one is ignored. */
function releaseBody(body: Buffer): void {
  const whole = body.buffer;
  if (body.length === 0 || body.byteOffset !== 0 || whole.byteLength !== body.length || !(whole instanceof ArrayBuffer)) return;
  if (pooledBytes + body.length > POOL_LIMIT_BYTES) return;
  const free = pool.get(body.length) ?? [];
  free.push({ body: whole, at: Date.now() });
  pool.set(body.length, free);
  pooledBytes += body.length;
  poolTrimmer ??= setInterval(trimBodyPool, POOL_IDLE_MS).unref();
}

/** Leaves bodies not asked for within POOL_IDLE_MS to the garbage collector (every POOL_IDLE_MS while any are pooled). */
export function trimBodyPool(now = Date.now()): void {
  const before = now - POOL_IDLE_MS;
  for (const [size, free] of pool) {
    const kept = free.filter((entry) => entry.at >= before);
    pooledBytes -= (free.length - kept.length) * size;
    if (kept.length > 0) pool.set(size, kept);
    else pool.delete(size);
  }
  if (pool.size === 0 && poolTrimmer) {
    clearInterval(poolTrimmer);
    poolTrimmer = null;
  }
}

/** Bytes of batch bodies waiting in the pool (tests). */
export function pooledBodyBytes(): number {
  return pooledBytes;
}

/** A first allocation for what the last batch held: the power of two that holds it, at least `least`. */
function roomFor(last: number, least = INITIAL_BODY_BYTES): number {
  return last <= least ? least : 2 ** Math.ceil(Math.log2(last));
}

const NO_LINE_ENDS = new Uint32Array(0);
const NO_OFFSETS = new Float64Array(0);

/** Room for the lines a batch's last batch had, at least INITIAL_LINES, then doubling as it fills. */
function growLines(buffer: PartitionBuffer, lastLines: number): void {
  const capacity = buffer.offsets.length === 0 ? roomFor(lastLines, INITIAL_LINES) : buffer.offsets.length * 2;
  const lineEnds = new Uint32Array(capacity);
  lineEnds.set(buffer.lineEnds);
  const offsets = new Float64Array(capacity);
  offsets.set(buffer.offsets);
  buffer.lineEnds = lineEnds;
  buffer.offsets = offsets;
}

/**
 * Memory held by open batches across every batcher of this process: their bodies as allocated
 * (a body doubles as it fills, so up to twice the bytes in it). Past it, a batch that has reached
 * MIN_PRESSURE_FLUSH_BYTES is closed at its next record rather than at the flush policy's size:
 * with many connectors at full load every partition would otherwise fill a batch of the policy's
 * max bytes at once (10 connectors × 4 partitions × 4 MB), and the worker's memory with them.
 */
export const OPEN_BATCHES_BUDGET_BYTES = 32 * 1024 * 1024;
const MIN_PRESSURE_FLUSH_BYTES = 256 * 1024;
let openBytesInProcess = 0;

/** Memory held by open batches in this process (see OPEN_BATCHES_BUDGET_BYTES). */
export function openBatchBytes(): number {
  return openBytesInProcess;
}

/**
 * Per-partition buffers closed by the first of max records, max bytes or max age, so each batch
 * is a contiguous offset range of one partition.
 */
export class PartitionBatcher {
  private readonly buffers = new Map<string, PartitionBuffer>();
  /** Partitions whose last fetch left records behind it in the log (see fetchEnded). */
  private readonly behind = new Set<string>();
  /** What each partition's last batch held (bytes, lines): where its next batch starts. */
  private readonly lastBatchBytes = new Map<string, number>();
  private readonly lastBatchLines = new Map<string, number>();

  constructor(
    private readonly policy: TFlushPolicy,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * False when adding `line` would take a non-empty buffer past max bytes: the buffer must be
   * flushed first, so a batch never exceeds the limit (a streaming request's 4 MB). `key`: the
   * partition's key, when the caller has it (the pipeline makes it once per kafkajs batch).
   */
  fits(topic: string, partition: number, line: Buffer, key = partitionKey(topic, partition)): boolean {
    const buffer = this.buffers.get(key);
    return !buffer || buffer.pinnedTo !== undefined || buffer.count === 0 || buffer.bytes + line.length + 1 <= this.policy.maxBytes;
  }

  /** Adds a decoded record; returns true when the partition's buffer must be flushed now. */
  add(topic: string, partition: number, offset: number, line: Buffer, key = partitionKey(topic, partition)): boolean {
    const buffer = this.bufferFor(topic, partition, key);
    const separator = buffer.count > 0 ? 1 : 0;
    const needed = buffer.used + separator + line.length;
    if (needed > buffer.body.length) {
      // A partition's batches are much alike: the first allocation is the size its last one
      // reached, so a batch is allocated once, not doubled up to its size (each doubling garbage).
      const room = buffer.body.length === 0 ? roomFor(this.lastBatchBytes.get(key) ?? 0) : buffer.body.length * 2;
      const grown = bodyOf(Math.max(needed, Math.min(room, this.policy.maxBytes)));
      buffer.body.copy(grown, 0, 0, buffer.used);
      openBytesInProcess += grown.length - buffer.body.length;
      releaseBody(buffer.body);
      buffer.body = grown;
    }
    if (separator) buffer.body[buffer.used++] = 0x0a;
    buffer.used += line.copy(buffer.body, buffer.used);
    if (buffer.count === buffer.offsets.length) growLines(buffer, this.lastBatchLines.get(key) ?? 0);
    buffer.lineEnds[buffer.count] = buffer.used;
    buffer.offsets[buffer.count] = offset;
    buffer.count++;
    buffer.bytes += line.length + 1;
    if (buffer.firstOffset < 0) buffer.firstOffset = offset;
    buffer.lastOffset = offset;
    if (buffer.pinnedTo !== undefined) return offset >= buffer.pinnedTo;
    if (openBytesInProcess > OPEN_BATCHES_BUDGET_BYTES && buffer.bytes >= MIN_PRESSURE_FLUSH_BYTES) return true;
    return buffer.count >= this.policy.maxRecords || buffer.bytes >= this.policy.maxBytes;
  }

  /**
   * Opens the partition's next batch as a recorded range that must be sent again exactly: it
   * closes when the record at `lastOffset` has been added or skipped. The buffer must be empty.
   */
  pin(topic: string, partition: number, rangeId: string, lastOffset: number): void {
    const key = partitionKey(topic, partition);
    const existing = this.buffers.get(key);
    if (existing && existing.firstOffset >= 0) throw new Error(`cannot pin ${key}: a batch is open`);
    const buffer = this.bufferFor(topic, partition);
    buffer.rangeId = rangeId;
    buffer.pinnedTo = lastOffset;
  }

  /** The offset a pinned buffer closes at; null when the buffer is not pinned. */
  pinnedTo(key: string): number | null {
    return this.buffers.get(key)?.pinnedTo ?? null;
  }

  /** A pinned buffer that has not reached its last offset: sending it now would send part of its range under the range's tag. */
  isIncomplete(key: string): boolean {
    const buffer = this.buffers.get(key);
    return buffer?.pinnedTo !== undefined && buffer.lastOffset < buffer.pinnedTo;
  }

  /** Moves the commit point past a record that was skipped without being written. */
  skip(topic: string, partition: number, offset: number): void {
    const buffer = this.bufferFor(topic, partition);
    if (buffer.firstOffset < 0) buffer.firstOffset = offset;
    buffer.lastOffset = offset;
  }

  /** Takes the partition's buffer for writing; null when nothing is pending. */
  take(key: string): BufferedBatch | null {
    const buffer = this.buffers.get(key);
    if (!buffer) return null;
    this.buffers.delete(key);
    openBytesInProcess -= buffer.body.length;
    // A pinned buffer whose records never came covers nothing: there is nothing to write or commit.
    if (buffer.firstOffset < 0) return null;
    this.lastBatchBytes.set(key, buffer.used);
    this.lastBatchLines.set(key, buffer.count);
    const { openedAt: _openedAt, pinnedTo: _pinnedTo, used, count, ...batch } = buffer;
    // A batch waits for its write holding its body: one mostly empty (closed by age, pressure or
    // the end of a backlog) is copied to its size, so what waits is what will be sent.
    let body = buffer.body.subarray(0, used);
    if (used < buffer.body.length * 0.75) {
      // A small batch is copied to its size; a larger one into a pooled body of the power of two that holds it.
      const copy = used < INITIAL_BODY_BYTES / 2 ? Buffer.allocUnsafe(used) : bodyOf(roomFor(used));
      buffer.body.copy(copy, 0, 0, used);
      releaseBody(buffer.body);
      body = copy.subarray(0, used);
    }
    return { ...batch, body, lineEnds: buffer.lineEnds.subarray(0, count), offsets: buffer.offsets.subarray(0, count) };
  }

  /**
   * Called when a fetch's records of a partition have been added. True when the partition's open
   * batch must close now: the previous fetch left records behind it in the log (a backlog, more
   * than one fetch brings) and this one reached the end. A drained backlog has nothing left to
   * wait for, so its last batch is not held for max age. A partition that keeps up reaches the
   * end at every fetch and is never behind: steady traffic is batched by size and age as before.
   */
  fetchEnded(key: string, caughtUp: boolean): boolean {
    const wasBehind = this.behind.has(key);
    if (!caughtUp) {
      this.behind.add(key);
      return false;
    }
    this.behind.delete(key);
    const buffer = this.buffers.get(key);
    return wasBehind && buffer !== undefined && buffer.count > 0 && buffer.pinnedTo === undefined;
  }

  /**
   * Called once a taken batch's write has settled (landed, failed or dropped): its body goes
   * back to the pool. Nothing may read the batch after.
   */
  release(batch: BufferedBatch): void {
    if (released.has(batch)) throw new Error(`the batch of ${batch.topic}/${batch.partition} from offset ${batch.firstOffset} was given back twice`);
    released.add(batch);
    if (batch.body.byteOffset === 0) releaseBody(Buffer.from(batch.body.buffer));
  }

  keysDue(): string[] {
    const now = this.now();
    return [...this.buffers.entries()].filter(([, buffer]) => buffer.pinnedTo === undefined && now - buffer.openedAt >= this.policy.maxAgeMs).map(([key]) => key);
  }

  keys(): string[] {
    return [...this.buffers.keys()];
  }

  /** After a rebalance the consumer re-reads from the committed offsets, so pending records are dropped. */
  clear(): void {
    for (const buffer of this.buffers.values()) {
      openBytesInProcess -= buffer.body.length;
      releaseBody(buffer.body);
    }
    this.buffers.clear();
    this.behind.clear();
  }

  private bufferFor(topic: string, partition: number, key = partitionKey(topic, partition)): PartitionBuffer {
    let buffer = this.buffers.get(key);
    if (!buffer) {
      buffer = { topic, partition, body: EMPTY, used: 0, count: 0, lineEnds: NO_LINE_ENDS, offsets: NO_OFFSETS, bytes: 0, firstOffset: -1, lastOffset: -1, openedAt: this.now() };
      this.buffers.set(key, buffer);
    }
    return buffer;
  }
}
