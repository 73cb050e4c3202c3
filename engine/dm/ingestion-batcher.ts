import { z } from 'zod';
import { TICKS_PER_MILLISECOND } from '../../lib/mapping/kusto-datetime';
import { parseKustoTimespan } from '../../lib/mapping/kusto-timespan';

/**
 * Batching as ADX's Data Management does it (batching-policy.md): blobs for the same table and
 * ingestion properties gather in one batch, sealed at the first of: MaximumBatchingTimeSpan
 * since the batch's first blob, MaximumNumberOfItems blobs, MaximumRawDataSizeMB of raw data.
 */

export interface TBatchingLimits {
  maxAgeMs: number;
  maxItems: number;
  maxRawBytes: number;
}

/** batching-policy.md defaults, used when neither the table nor its database has a policy. */
export const DEFAULT_BATCHING_LIMITS: TBatchingLimits = { maxAgeMs: 5 * 60_000, maxItems: 500, maxRawBytes: 1024 * 1024 * 1024 };

const ZStoredBatchingPolicy = z.object({
  MaximumBatchingTimeSpan: z.string(),
  MaximumNumberOfItems: z.number(),
  MaximumRawDataSizeMB: z.number(),
});

export function batchingLimits(policyJson: string | null): TBatchingLimits {
  if (policyJson === null) return DEFAULT_BATCHING_LIMITS;
  const policy = ZStoredBatchingPolicy.parse(JSON.parse(policyJson));
  const ticks = parseKustoTimespan(policy.MaximumBatchingTimeSpan);
  return {
    maxAgeMs: ticks === null ? DEFAULT_BATCHING_LIMITS.maxAgeMs : Number(ticks / TICKS_PER_MILLISECOND),
    maxItems: policy.MaximumNumberOfItems,
    maxRawBytes: policy.MaximumRawDataSizeMB * 1024 * 1024,
  };
}

export interface TBatch<T> {
  key: string;
  /** When the first blob joined: the time trigger counts from here. */
  openedAt: number;
  limits: TBatchingLimits;
  items: T[];
  rawBytes: number;
}

export class IngestionBatcher<T extends { rawBytes: number }> {
  private readonly open = new Map<string, TBatch<T>>();

  /** Adds a blob; returns its batch if this blob filled it by count or size. */
  add(key: string, item: T, limits: TBatchingLimits, now: number): TBatch<T> | null {
    let batch = this.open.get(key);
    if (!batch) {
      batch = { key, openedAt: now, limits, items: [], rawBytes: 0 };
      this.open.set(key, batch);
    }
    batch.items.push(item);
    batch.rawBytes += item.rawBytes;
    if (batch.items.length >= batch.limits.maxItems || batch.rawBytes >= batch.limits.maxRawBytes) {
      this.open.delete(key);
      return batch;
    }
    return null;
  }

  /** Batches whose time is up; never one a moment early. */
  sealDue(now: number): TBatch<T>[] {
    const due = [...this.open.values()].filter((batch) => now - batch.openedAt >= batch.limits.maxAgeMs);
    for (const batch of due) this.open.delete(batch.key);
    return due;
  }

  nextDeadline(): number | null {
    let next: number | null = null;
    for (const batch of this.open.values()) next = Math.min(next ?? Infinity, batch.openedAt + batch.limits.maxAgeMs);
    return next;
  }

  /** Takes every open batch out, sealed or not (at shutdown). */
  takeAll(): TBatch<T>[] {
    const all = [...this.open.values()];
    this.open.clear();
    return all;
  }
}
