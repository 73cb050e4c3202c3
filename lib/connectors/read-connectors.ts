import type { Db } from '../db/prisma';
import { AppError, ErrorCode } from '../errors';
import { connectorViewInclude, toDetailView, toSummaryView, type ConnectorDetailView, type ConnectorSummaryView } from './connector-views';

export async function listConnectors(db: Db): Promise<ConnectorSummaryView[]> {
  const connectors = await db.connector.findMany({
    where: { desiredState: { not: 'DELETED' } },
    include: connectorViewInclude,
    orderBy: { name: 'asc' },
  });
  return connectors.map(toSummaryView);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function assertConnectorId(id: string): void {
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

export interface MetricPoint {
  at: string;
  totalLag: number;
  rowsWritten: number;
  bytesWritten: number;
  rowsPerSecond: number;
  bytesPerSecond: number;
  partitionLag: Record<string, number>;
}

export async function getConnectorMetrics(db: Db, id: string, sinceMs: number): Promise<MetricPoint[]> {
  assertConnectorId(id);
  const samples = await db.metricSample.findMany({
    where: { connectorId: id, at: { gte: new Date(Date.now() - sinceMs) } },
    orderBy: { at: 'asc' },
  });
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

export interface ConnectorErrorView {
  id: number;
  at: string;
  kind: string;
  message: string;
  topic: string | null;
  partition: number | null;
  offset: number | null;
  /** Base64 of the first bytes of the record. */
  preview: string | null;
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
