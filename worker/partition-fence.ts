import { randomUUID } from 'node:crypto';
import pg from 'pg';

/** Exactly-once queued: a blob's offset range, recorded before the blob was sent. */
export interface RecordedRange {
  sourceId: string;
  firstOffset: number;
  lastOffset: number;
  /** Not yet reported landed or failed: it is sent again, under the same tag. */
  pending: boolean;
}

/** Where a partition's new owner resumes. */
export interface ResumePoint {
  /** Streaming: the first offset not yet in the target; records before it are already there. */
  resumeFrom: number;
  /** Queued: the recorded ranges at or after the consumer's position, in offset order. */
  ranges: RecordedRange[];
}

export interface PartitionClaim extends ResumePoint {
  token: string;
}

/**
 * Exactly-once across crashes and rebalances. A partition is written only by its owner: a new
 * owner takes the partition's advisory lock — which waits for a write of the previous owner in
 * flight, since every write holds it too — records itself with a new token, and reads the
 * highest offset already in the target (streaming) or the ranges recorded but maybe not landed
 * (queued). Every write then re-checks its token under the lock, so a member that lost the
 * partition cannot land a batch after the new owner looked.
 */
export class PartitionFence {
  private readonly pool: pg.Pool;

  constructor(
    databaseUrl: string,
    private readonly connectorId: string,
    private readonly workerId: string,
  ) {
    // One session per lock holder: advisory locks belong to the connection that took them.
    this.pool = new pg.Pool({ connectionString: databaseUrl, max: 8 });
  }

  private async withLock<T>(topic: string, partition: number, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('SELECT pg_advisory_lock(hashtext($1), $2)', [`kastor-partition-${this.connectorId}-${topic}`, partition]);
      try {
        return await work(client);
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtext($1), $2)', [`kastor-partition-${this.connectorId}-${topic}`, partition]);
      }
    } finally {
      client.release();
    }
  }

  /** `resume` runs under the partition's lock, so it sees everything the previous owner wrote. */
  async claim(topic: string, partition: number, resume: () => Promise<ResumePoint>): Promise<PartitionClaim> {
    return this.withLock(topic, partition, async (client) => {
      const token = randomUUID();
      await client.query(
        `INSERT INTO "PartitionOwner" ("connectorId", "topic", "partition", "workerId", "token", "claimedAt") VALUES ($1, $2, $3, $4, $5, now())
         ON CONFLICT ("connectorId", "topic", "partition") DO UPDATE SET "workerId" = EXCLUDED."workerId", "token" = EXCLUDED."token", "claimedAt" = EXCLUDED."claimedAt"`,
        [this.connectorId, topic, partition, this.workerId, token],
      );
      return { token, ...(await resume()) };
    });
  }

  /** Runs `write` if the claim still owns the partition; 'revoked' when another member took it over. */
  async whileOwner<T>(topic: string, partition: number, token: string, write: () => Promise<T>): Promise<T | 'revoked'> {
    return this.withLock(topic, partition, async (client) => {
      const owner = await client.query<{ token: string }>('SELECT "token" FROM "PartitionOwner" WHERE "connectorId" = $1 AND "topic" = $2 AND "partition" = $3', [
        this.connectorId,
        topic,
        partition,
      ]);
      if (owner.rows[0]?.token !== token) return 'revoked';
      return write();
    });
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
