import type { Db } from '../lib/db/prisma';

/** How far a partition's records reached the target, as recorded by whichever worker wrote them. */
export interface Watermarks {
  /** The highest offset known to be in the target: a replay up to it writes duplicates. */
  written: number | null;
  /** The highest offset sent, landed or not: a replay above `written` up to it may write duplicates. */
  sent: number | null;
}

export interface ReplayWatermarks {
  read(topic: string, partition: number): Promise<Watermarks>;
  /** Before (or while) a batch is written. */
  markSent(topic: string, partition: number, lastOffset: number): Promise<void>;
  /** After the target has a batch, before its offsets are committed. */
  markWritten(topic: string, partition: number, lastOffset: number): Promise<void>;
}

/**
 * At-least-once replays, counted: a partition's next owner (after a crash or a rebalance) counts
 * the rows it writes again up to `written` as duplicates, and those up to `sent` as possible
 * duplicates — writes in flight when a worker was killed may or may not have landed.
 */
export function replayWatermarks(db: Db, connectorId: string): ReplayWatermarks {
  const optional = (value: bigint | null | undefined) => (value === null || value === undefined ? null : Number(value));
  return {
    async read(topic, partition) {
      const metric = await db.partitionMetric.findUnique({
        where: { connectorId_topic_partition: { connectorId, topic, partition } },
        select: { lastWrittenOffset: true, lastSentOffset: true },
      });
      return { written: optional(metric?.lastWrittenOffset), sent: optional(metric?.lastSentOffset) };
    },
    async markSent(topic, partition, lastOffset) {
      await db.$executeRaw`
        INSERT INTO "PartitionMetric" ("connectorId", "topic", "partition", "lastSentOffset", "updatedAt") VALUES (${connectorId}::uuid, ${topic}, ${partition}, ${lastOffset}, now())
        ON CONFLICT ("connectorId", "topic", "partition") DO UPDATE SET "lastSentOffset" = GREATEST("PartitionMetric"."lastSentOffset", EXCLUDED."lastSentOffset")`;
    },
    async markWritten(topic, partition, lastOffset) {
      await db.$executeRaw`
        INSERT INTO "PartitionMetric" ("connectorId", "topic", "partition", "lastWrittenOffset", "updatedAt") VALUES (${connectorId}::uuid, ${topic}, ${partition}, ${lastOffset}, now())
        ON CONFLICT ("connectorId", "topic", "partition") DO UPDATE SET "lastWrittenOffset" = GREATEST("PartitionMetric"."lastWrittenOffset", EXCLUDED."lastWrittenOffset")`;
    },
  };
}
