import 'server-only';
import type { Db } from '../db/prisma';
import { AppError, ErrorCode } from '../errors';
import { Prisma } from '../generated/prisma/client';
import type { ConnectorHealth } from '../health/assess-connector-health';
import {
  connectorHealthOf,
  connectorSummaryInclude,
  connectorViewInclude,
  healthInclude,
  toDetailView,
  toSummaryView,
  type ConnectorDetailView,
  type ConnectorErrorView,
  type ConnectorSummaryView,
  type MetricPoint,
} from './connector-views';
import { readHealthRows } from './read-health-rows';

export async function listConnectors(db: Db): Promise<ConnectorSummaryView[]> {
  const connectors = await db.connector.findMany({
    where: { desiredState: { not: 'DELETED' } },
    include: connectorSummaryInclude,
    orderBy: { name: 'asc' },
  });
  const health = await readHealthRows(db, connectors.map((connector) => connector.id));
  return connectors.map((connector) => toSummaryView({ ...connector, samples: [], audit: [], ...health.get(connector.id) }));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function assertConnectorId(id: string): void {
  if (!UUID.test(id)) throw new AppError(ErrorCode.NOT_FOUND, `Connector ${id} not found`);
}

export async function getConnector(db: Db, id: string): Promise<ConnectorDetailView> {
  assertConnectorId(id);
  const connector = await db.connector.findUnique({ where: { id }, include: connectorViewInclude });
  if (!connector || connector.desiredState === 'DELETED') throw new AppError(ErrorCode.NOT_FOUND, `Connector ${id} not found`);
  return toDetailView(connector);
}

export async function getConnectorByName(db: Db, name: string): Promise<ConnectorDetailView> {
  const connector = await db.connector.findUnique({ where: { name }, include: connectorViewInclude });
  if (!connector || connector.desiredState === 'DELETED') throw new AppError(ErrorCode.NOT_FOUND, `Connector "${name}" not found`);
  return toDetailView(connector);
}

/** Charts need no more points than a wide screen has pixels to spare. */
export const MAX_METRIC_POINTS = 720;
const RAW_RANGE_MS = 15 * 60_000;

interface SampleRow {
  at: Date;
  totalLag: bigint;
  rowsWritten: bigint;
  bytesWritten: bigint;
  rowsPerSecond: number;
  bytesPerSecond: number;
  partitionLag: unknown;
}

/**
 * Ranges longer than 15 minutes are downsampled in Postgres into at most MAX_METRIC_POINTS
 * buckets, so a 24 h chart costs 720 rows, not one per metrics cycle. A bucket keeps the lag of
 * its worst sample (a short backlog must not vanish from the chart), the newest running totals
 * and the average rates.
 */
export async function getConnectorMetrics(db: Db, id: string, sinceMs: number): Promise<MetricPoint[]> {
  assertConnectorId(id);
  const since = new Date(Date.now() - sinceMs);
  const samples: SampleRow[] =
    sinceMs <= RAW_RANGE_MS
      ? await db.metricSample.findMany({ where: { connectorId: id, at: { gte: since } }, orderBy: { at: 'asc' } })
      : await db.$queryRaw<SampleRow[]>(Prisma.sql`
          SELECT DISTINCT ON (bucket) "totalLag", "partitionLag",
            max("at") OVER (PARTITION BY bucket) AS "at",
            max("rowsWritten") OVER (PARTITION BY bucket) AS "rowsWritten",
            max("bytesWritten") OVER (PARTITION BY bucket) AS "bytesWritten",
            avg("rowsPerSecond") OVER (PARTITION BY bucket) AS "rowsPerSecond",
            avg("bytesPerSecond") OVER (PARTITION BY bucket) AS "bytesPerSecond"
          FROM (
            SELECT *, floor(extract(epoch FROM "at") * 1000 / ${Math.ceil(sinceMs / MAX_METRIC_POINTS)}) AS bucket
            FROM "MetricSample" WHERE "connectorId" = ${id}::uuid AND "at" >= ${since}
          ) AS bucketed
          ORDER BY bucket, "totalLag" DESC, "at" DESC`);
  return samples.map((sample) => ({
    at: sample.at.toISOString(),
    totalLag: Number(sample.totalLag),
    rowsWritten: Number(sample.rowsWritten),
    bytesWritten: Number(sample.bytesWritten),
    rowsPerSecond: sample.rowsPerSecond,
    bytesPerSecond: sample.bytesPerSecond,
    partitionLag: sample.partitionLag as Record<string, number>,
  }));
}

/** How many errors of each kind are kept for the connector (decode, dead-lettered, target-retry, target-rejected). */
export async function countConnectorErrorsByKind(db: Db, id: string): Promise<Record<string, number>> {
  assertConnectorId(id);
  const groups = await db.connectorError.groupBy({ by: ['kind'], where: { connectorId: id }, _count: { _all: true } });
  return Object.fromEntries(groups.map((group) => [group.kind, group._count._all]));
}

export async function listConnectorErrors(db: Db, id: string, limit = 50): Promise<ConnectorErrorView[]> {
  assertConnectorId(id);
  const errors = await db.connectorError.findMany({ where: { connectorId: id }, orderBy: { at: 'desc' }, take: limit });
  return errors.map((error) => ({
    id: Number(error.id),
    at: error.at.toISOString(),
    kind: error.kind,
    message: error.message,
    topic: error.topic,
    partition: error.partition,
    offset: error.offset === null ? null : Number(error.offset),
    preview: error.preview,
  }));
}

export interface HealthView extends ConnectorHealth {
  evaluatedAt: string;
}

export async function getConnectorHealth(db: Db, id: string): Promise<HealthView> {
  assertConnectorId(id);
  const connector = await db.connector.findUnique({
    where: { id },
    select: { ...healthInclude, desiredState: true, status: { select: { actualState: true, lastError: true, lagSeconds: true } } },
  });
  if (!connector || connector.desiredState === 'DELETED') throw new AppError(ErrorCode.NOT_FOUND, `Connector ${id} not found`);
  const now = Date.now();
  return { ...connectorHealthOf(connector, connector.status, now), evaluatedAt: new Date(now).toISOString() };
}
