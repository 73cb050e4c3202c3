import 'server-only';
import type { Db } from '../db/prisma';
import { ZPartitionRefs } from './partition-refs';
import { isWorkerLive, type WorkerView } from './worker-views';

/** Every worker with its heartbeat and, per connector it runs, its state and the partitions Kafka gave it. */
export async function listWorkers(db: Db, now = Date.now()): Promise<WorkerView[]> {
  const workers = await db.worker.findMany({
    orderBy: { id: 'asc' },
    include: { assignments: { orderBy: { connectorId: 'asc' }, include: { connector: { select: { name: true } } } } },
  });
  return workers.map((worker) => ({
    id: worker.id,
    hostname: worker.hostname,
    pid: worker.pid,
    startedAt: worker.startedAt.toISOString(),
    heartbeatAt: worker.heartbeatAt.toISOString(),
    live: isWorkerLive(worker.heartbeatAt, now),
    shares: worker.assignments.map((share) => ({
      connectorId: share.connectorId,
      connectorName: share.connector.name,
      state: share.state,
      revision: share.revision,
      partitions: ZPartitionRefs.parse(share.partitions),
      lastError: share.lastError,
      updatedAt: share.updatedAt.toISOString(),
    })),
  }));
}
