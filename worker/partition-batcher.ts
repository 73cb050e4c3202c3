import type { TFlushPolicy } from '../lib/connectors/connector-definition';

export interface BufferedBatch {
  topic: string;
  partition: number;
  lines: string[];
  /** The offset of each line, so a rejected line can be named and read back. */
  offsets: number[];
  bytes: number;
  /** Offset of the first record covered, including skipped ones. */
  firstOffset: number;
  /** Offset of the last record covered, including skipped ones: commit `lastOffset + 1`. */
  lastOffset: number;
}

interface PartitionBuffer extends BufferedBatch {
  openedAt: number;
}

export function partitionKey(topic: string, partition: number): string {
  return `${topic}/${partition}`;
}

/**
 * Per-partition buffers closed by the first of max records, max bytes or max age, so each batch
 * is a contiguous offset range of one partition.
 */
export class PartitionBatcher {
  private readonly buffers = new Map<string, PartitionBuffer>();

  constructor(
    private readonly policy: TFlushPolicy,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * False when adding `line` would take a non-empty buffer past max bytes: the buffer must be
   * flushed first, so a batch never exceeds the limit (a streaming request's 4 MB).
   */
  fits(topic: string, partition: number, line: string): boolean {
    const buffer = this.buffers.get(partitionKey(topic, partition));
    return !buffer || buffer.lines.length === 0 || buffer.bytes + Buffer.byteLength(line) + 1 <= this.policy.maxBytes;
  }

  /** Adds a decoded record; returns true when the partition's buffer must be flushed now. */
  add(topic: string, partition: number, offset: number, line: string): boolean {
    const buffer = this.bufferFor(topic, partition);
    buffer.lines.push(line);
    buffer.offsets.push(offset);
    buffer.bytes += Buffer.byteLength(line) + 1;
    if (buffer.firstOffset < 0) buffer.firstOffset = offset;
    buffer.lastOffset = offset;
    return buffer.lines.length >= this.policy.maxRecords || buffer.bytes >= this.policy.maxBytes;
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
    const { openedAt: _openedAt, ...batch } = buffer;
    return batch;
  }

  keysDue(): string[] {
    const now = this.now();
    return [...this.buffers.entries()].filter(([, buffer]) => now - buffer.openedAt >= this.policy.maxAgeMs).map(([key]) => key);
  }

  keys(): string[] {
    return [...this.buffers.keys()];
  }

  /** After a rebalance the consumer re-reads from the committed offsets, so pending records are dropped. */
  clear(): void {
    this.buffers.clear();
  }

  private bufferFor(topic: string, partition: number): PartitionBuffer {
    const key = partitionKey(topic, partition);
    let buffer = this.buffers.get(key);
    if (!buffer) {
      buffer = { topic, partition, lines: [], offsets: [], bytes: 0, firstOffset: -1, lastOffset: -1, openedAt: this.now() };
      this.buffers.set(key, buffer);
    }
    return buffer;
  }
}
