import 'server-only';
import { connectorHealthOf, healthInclude } from '../connectors/connector-views';
import type { Db } from '../db/prisma';
import type { AlertSnapshot } from './evaluate-alert';

/**
 * One connector's figures as the lease holder just wrote them: health over the sample window,
 * state, lag, and failed queued batches since `failuresSince`. Null when the connector is gone.
 */
export async function readAlertSnapshot(db: Db, connectorId: string, failuresSince: Date | null, now: number): Promise<AlertSnapshot | null> {
  const connector = await db.connector.findUnique({
    where: { id: connectorId },
    select: { ...healthInclude, desiredState: true, status: { select: { actualState: true, lastError: true, lagSeconds: true, totalLag: true } } },
  });
  if (!connector || connector.desiredState === 'DELETED') return null;
  const health = connectorHealthOf(connector, connector.status, now);
  const ingestionFailures = failuresSince
    ? await db.ingestionBatch.count({ where: { connectorId, status: 'FAILED', completedAt: { gte: failuresSince } } })
    : 0;
  return {
    health: { status: health.status, reason: health.reason },
    actualState: connector.status?.actualState ?? 'PENDING',
    lastError: connector.status?.lastError ?? null,
    lagSeconds: connector.status?.lagSeconds ?? null,
    totalLag: Number(connector.status?.totalLag ?? 0),
    ingestionFailures,
  };
}
