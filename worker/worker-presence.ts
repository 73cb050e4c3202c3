import { hostname } from 'node:os';
import { aggregateConnectorState, WORKER_LIVENESS_MS, type WorkerShare } from '../lib/connectors/aggregate-state';
import type { Db } from '../lib/db/prisma';
import type { ActualState, DesiredState } from '../lib/generated/prisma/enums';
import { Prisma } from '../lib/generated/prisma/client';
import { ZRecordRef, type TPartitionRefs, type TRecordRef } from '../lib/workers/partition-refs';

/** Rows of workers silent for this long are removed (their shares stopped counting long before). */
const FORGET_WORKER_MS = 10 * 60_000;

export type PartitionRef = TPartitionRefs[number];

/** What a worker reports of its share of a connector. */
export interface ShareReport {
  state: ActualState;
  revision: number;
  partitions?: PartitionRef[];
  lastError?: string | null;
  failedRecord?: TRecordRef | null;
}

/**
 * This worker's presence in Postgres: its heartbeat row, and one share per connector it runs
 * (state, partitions Kafka gave it, its last error). A connector's state is aggregated from the
 * shares of live workers, so one worker's failure does not hide that others keep running.
 */
export class WorkerPresence {
  /** Each connector's last share write: writes of one connector land in the order they were asked for. */
  private readonly writes = new Map<string, Promise<void>>();

  constructor(
    private readonly db: Db,
    readonly workerId: string,
  ) {}

  /**
   * Runs a share write after the connector's previous one has ended. Reports are often not
   * awaited (a pipeline's assignment says RUNNING as it happens); a FAILED asked for after them
   * must not be overtaken by them.
   */
  private inOrder(connectorId: string, write: () => Promise<void>): Promise<void> {
    const next = (this.writes.get(connectorId) ?? Promise.resolve()).catch(() => undefined).then(write);
    this.writes.set(connectorId, next);
    void next.catch(() => undefined).then(() => {
      if (this.writes.get(connectorId) === next) this.writes.delete(connectorId);
    });
    return next;
  }

  async register(): Promise<void> {
    const now = new Date();
    await this.db.worker.upsert({
      where: { id: this.workerId },
      create: { id: this.workerId, hostname: hostname(), pid: process.pid, startedAt: now, heartbeatAt: now },
      update: { hostname: hostname(), pid: process.pid, startedAt: now, heartbeatAt: now },
    });
  }

  async heartbeat(): Promise<void> {
    const now = Date.now();
    await this.db.worker.update({ where: { id: this.workerId }, data: { heartbeatAt: new Date(now) } });
    await this.db.worker.deleteMany({ where: { heartbeatAt: { lt: new Date(now - FORGET_WORKER_MS) } } });
  }

  /** Records this worker's share of a connector and re-derives the connector's state; in the order asked for. */
  report(connectorId: string, share: ShareReport): Promise<void> {
    return this.inOrder(connectorId, () => this.writeShare(connectorId, share));
  }

  private async writeShare(connectorId: string, share: ShareReport): Promise<void> {
    const data = {
      state: share.state,
      revision: share.revision,
      ...(share.partitions && { partitions: share.partitions }),
      ...(share.lastError !== undefined && { lastError: share.lastError, failedRecord: share.failedRecord ?? Prisma.DbNull }),
      updatedAt: new Date(),
    };
    await this.db.connectorAssignment.upsert({
      where: { connectorId_workerId: { connectorId, workerId: this.workerId } },
      create: { connectorId, workerId: this.workerId, partitions: [], ...data },
      update: data,
    });
    await this.aggregate(connectorId);
  }

  /** Drops this worker's share (its pipeline is gone) and re-derives the connector's state. */
  withdraw(connectorId: string): Promise<void> {
    return this.inOrder(connectorId, async () => {
      await this.db.connectorAssignment.deleteMany({ where: { connectorId, workerId: this.workerId } });
      await this.aggregate(connectorId);
    });
  }

  /** On shutdown: the worker row goes, and with it every share. */
  async unregister(): Promise<void> {
    const shares = await this.db.connectorAssignment.findMany({ where: { workerId: this.workerId }, select: { connectorId: true } });
    await this.db.worker.deleteMany({ where: { id: this.workerId } });
    for (const { connectorId } of shares) await this.aggregate(connectorId).catch(() => undefined);
  }

  /**
   * The connector's state from its live shares, written under a per-connector advisory lock so
   * two workers' reports cannot interleave their read and write.
   */
  async aggregate(connectorId: string): Promise<void> {
    await this.db.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`kastor-connector-${connectorId}`}))`;
      const connector = await tx.connector.findUnique({ where: { id: connectorId }, select: { desiredState: true } });
      if (!connector) return;
      const rows = await tx.connectorAssignment.findMany({ where: { connectorId, worker: { heartbeatAt: { gte: liveSince() } } }, orderBy: { workerId: 'asc' } });
      const { actualState, lastError, failedRecord } = deriveState(connector.desiredState, rows);
      const current = await tx.connectorStatus.findUnique({ where: { connectorId }, select: { actualState: true, lastError: true, failedRecord: true } });
      if (current && isCurrent(current, { actualState, lastError, failedRecord })) return;
      const errorChanged = lastError !== null && lastError !== current?.lastError;
      const fields = {
        actualState,
        lastError,
        ...(errorChanged && { lastErrorAt: new Date() }),
        ...(lastError === null && { lastErrorAt: null }),
        workerId: rows.find((row) => row.state === actualState)?.workerId ?? null,
        failedRecord: failedRecord ?? Prisma.DbNull,
        updatedAt: new Date(),
      };
      await tx.connectorStatus.upsert({ where: { connectorId }, create: { connectorId, ...fields }, update: fields });
    });
  }

  /**
   * aggregate() for many connectors: their shares and states are read in two queries, and only a
   * connector whose derived state differs from the stored one is written (under its lock, read again).
   */
  async aggregateMany(connectorIds: string[], onError: (connectorId: string, error: Error) => void): Promise<void> {
    if (connectorIds.length === 0) return;
    const [connectors, shares] = await Promise.all([
      this.db.connector.findMany({ where: { id: { in: connectorIds } }, select: { id: true, desiredState: true, status: { select: { actualState: true, lastError: true, failedRecord: true } } } }),
      this.db.connectorAssignment.findMany({ where: { connectorId: { in: connectorIds }, worker: { heartbeatAt: { gte: liveSince() } } }, orderBy: { workerId: 'asc' } }),
    ]);
    for (const connector of connectors) {
      const derived = deriveState(connector.desiredState, shares.filter((share) => share.connectorId === connector.id));
      if (connector.status && isCurrent(connector.status, derived)) continue;
      await this.aggregate(connector.id).catch((error: Error) => onError(connector.id, error));
    }
  }
}

const liveSince = () => new Date(Date.now() - WORKER_LIVENESS_MS);

type Derived = { actualState: ActualState; lastError: string | null; failedRecord: TRecordRef | null };

/** The connector's state from its live shares (ordered by worker), and the record to blame if it failed on one. */
function deriveState(desiredState: DesiredState, rows: { workerId: string; state: ActualState; lastError: string | null; failedRecord: Prisma.JsonValue }[]): Derived {
  const shares: WorkerShare[] = rows.map((row) => ({ workerId: row.workerId, state: row.state, lastError: row.lastError }));
  const { actualState, lastError } = aggregateConnectorState(desiredState, shares);
  const blamed = rows.find((row) => row.state === 'FAILED' && row.failedRecord !== null)?.failedRecord;
  return { actualState, lastError, failedRecord: actualState === 'FAILED' && blamed ? ZRecordRef.parse(blamed) : null };
}

function isCurrent(current: { actualState: ActualState; lastError: string | null; failedRecord: Prisma.JsonValue }, derived: Derived): boolean {
  return current.actualState === derived.actualState && current.lastError === derived.lastError && JSON.stringify(current.failedRecord) === JSON.stringify(derived.failedRecord);
}
