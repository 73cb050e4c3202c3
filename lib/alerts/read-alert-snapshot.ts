import 'server-only';
import { connectorHealthOf } from '../connectors/connector-views';
import { readHealthRows } from '../connectors/read-health-rows';
import type { Db } from '../db/prisma';
import type { AlertSnapshot } from './evaluate-alert';

export interface AlertSubject {
  name: string;
  /** The snapshot with failed queued batches counted over the last `minutes` (none when 0). */
  snapshotFor(minutes: number): AlertSnapshot;
}

/**
 * Each connector's figures as the lease holder just wrote them: health over the sample window,
 * state, lag, and failed queued batches over each of `failureWindowsMinutes` — for many
 * connectors in a few queries. Connectors that are gone or deleted are left out.
 */
export async function readAlertSubjects(db: Db, connectorIds: string[], failureWindowsMinutes: number[], now: number): Promise<Map<string, AlertSubject>> {
  const windows = [...new Set(failureWindowsMinutes.filter((minutes) => minutes > 0))];
  const [connectors, health, ...failures] = await Promise.all([
    db.connector.findMany({
      where: { id: { in: connectorIds }, desiredState: { not: 'DELETED' } },
      select: { id: true, name: true, desiredState: true, status: { select: { actualState: true, lastError: true, lagSeconds: true, totalLag: true } } },
    }),
    readHealthRows(db, connectorIds),
    ...windows.map((minutes) =>
      db.ingestionBatch.groupBy({ by: ['connectorId'], where: { connectorId: { in: connectorIds }, status: 'FAILED', completedAt: { gte: new Date(now - minutes * 60_000) } }, _count: { _all: true } }),
    ),
  ]);
  const failuresByWindow = new Map(windows.map((minutes, index) => [minutes, new Map(failures[index].map((group) => [group.connectorId, group._count._all]))]));
  return new Map(
    connectors.map((connector) => {
      const rows = health.get(connector.id) ?? { samples: [], audit: [] };
      const assessed = connectorHealthOf({ desiredState: connector.desiredState, ...rows }, connector.status, now);
      const base = {
        health: { status: assessed.status, reason: assessed.reason },
        actualState: connector.status?.actualState ?? 'PENDING',
        lastError: connector.status?.lastError ?? null,
        lagSeconds: connector.status?.lagSeconds ?? null,
        totalLag: Number(connector.status?.totalLag ?? 0),
      };
      const subject: AlertSubject = {
        name: connector.name,
        snapshotFor: (minutes) => ({ ...base, ingestionFailures: failuresByWindow.get(minutes)?.get(connector.id) ?? 0 }),
      };
      return [connector.id, subject];
    }),
  );
}
