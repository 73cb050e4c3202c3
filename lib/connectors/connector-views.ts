import type { Prisma } from '../generated/prisma/client';
import { assessConnectorHealth, HEALTH_SAMPLES, type ConnectorHealth, type HealthStatusInput } from '../health/assess-connector-health';
import type { HealthStatus } from '../health/evaluate-health';
import type { LagTrend } from '../health/lag-trend';
import { ZPartitionRefs, ZRecordRef, type TRecordRef } from '../workers/partition-refs';
import { isWorkerLive } from '../workers/worker-views';
import type { TConnectorDefinition } from './connector-definition';
import { parseStoredDefinition } from './stored-definition';

/** The audit actions that explain a connector standing still on purpose. */
export const STATE_CHANGE_ACTIONS = ['pause', 'stop'];

/**
 * What every reader of one connector's health loads: the same samples and the same pause or stop.
 * Readers of many connectors use readHealthRows instead (lib/connectors/read-health-rows.ts).
 */
export const healthInclude = {
  samples: {
    orderBy: { at: 'desc' },
    take: HEALTH_SAMPLES,
    select: { at: true, totalLag: true, partitionLag: true, partitionOffsets: true },
  },
  audit: { where: { action: { in: STATE_CHANGE_ACTIONS } }, orderBy: { at: 'desc' }, take: 1, select: { action: true, actor: true, at: true } },
} satisfies Prisma.ConnectorInclude;

/** What the overview loads of each connector besides its health rows. */
export const connectorSummaryInclude = {
  status: true,
  assignments: { select: { workerId: true, state: true, partitions: true, updatedAt: true, worker: { select: { heartbeatAt: true } } } },
} satisfies Prisma.ConnectorInclude;

export const connectorViewInclude = {
  ...healthInclude,
  ...connectorSummaryInclude,
  partitions: { orderBy: [{ topic: 'asc' }, { partition: 'asc' }] },
} satisfies Prisma.ConnectorInclude;

type ConnectorWithStatus = Prisma.ConnectorGetPayload<{ include: typeof connectorViewInclude }>;
export type ConnectorHealthRows = Pick<Prisma.ConnectorGetPayload<{ include: typeof healthInclude }>, 'desiredState' | 'samples' | 'audit'>;
type ConnectorSummaryRows = Prisma.ConnectorGetPayload<{ include: typeof connectorSummaryInclude }> & Pick<ConnectorHealthRows, 'samples' | 'audit'>;

/** The one way a connector's health is assessed from its rows: the API, the pages and the alerts. */
export function connectorHealthOf(connector: ConnectorHealthRows, status: HealthStatusInput | null, now: number): ConnectorHealth {
  const change = connector.audit[0];
  return assessConnectorHealth([...connector.samples].reverse(), status, now, {
    desiredState: connector.desiredState,
    stateChange: change ? { action: change.action, actor: change.actor, at: change.at.getTime() } : null,
  });
}

/** One point of a connector's time series, as the charts get it. */
export interface MetricPoint {
  at: string;
  totalLag: number;
  rowsWritten: number;
  bytesWritten: number;
  rowsPerSecond: number;
  bytesPerSecond: number;
  partitionLag: Record<string, number>;
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

/** `GET /api/connectors/:id/errors`: the recent errors and, over the connector's whole history, how many of each kind. */
export interface ConnectorErrorsView {
  errors: ConnectorErrorView[];
  countsByKind: Record<string, number>;
}

export interface PartitionView {
  topic: string;
  partition: number;
  committedOffset: number | null;
  logEndOffset: number;
  lag: number;
  rowsWritten: number;
  bytesWritten: number;
  updatedAt: string;
  /** The live worker whose consumer holds the partition; null when none does (paused, stopped, rebalancing). */
  workerId: string | null;
}

export interface ConnectorSummaryView {
  id: string;
  name: string;
  revision: number;
  desiredState: string;
  actualState: string;
  appliedRevision: number | null;
  topics: string[];
  target: { database: string; table: string };
  totalLag: number;
  rowsPerSecond: number;
  rowsWritten: number;
  bytesWritten: number;
  recordsSkipped: number;
  /** Rows written again after a crash or rebalance (at-least-once), as far as the workers could tell. */
  duplicateRows: number;
  /** Rows written again that may have been in the table already (writes in flight when a worker stopped). */
  possibleDuplicateRows: number;
  lastError: string | null;
  lastErrorAt: string | null;
  /** The record the connector failed on, when one is to blame: "skip this record and restart" is offered. */
  failedRecord: TRecordRef | null;
  statusUpdatedAt: string | null;
  health: { status: HealthStatus; reason: string };
  /** Age of the oldest unconsumed record. */
  lagSeconds: number | null;
  /** Estimated time to drain the lag at the rate it fell recently; null when it is not falling. */
  etaSeconds: number | null;
  /** How lag moved over the last minute; etaSeconds is its etaSeconds. */
  lagTrend: LagTrend;
  /** totalLag of the newest samples, oldest first. */
  lagSparkline: number[];
  /**
   * The workers holding a share of the connector: how many heartbeat now, the newest heartbeat,
   * and the newest report of a share (every start, failure or rebalance writes one, so a restart
   * that fails again on the same record still shows as a new report). An idle connector's
   * workers still heartbeat; only silence means none is there.
   */
  workers: { live: number; lastHeartbeatAt: string | null; lastReportAt: string | null };
}

export interface ConnectorDetailView extends ConnectorSummaryView {
  definition: TConnectorDefinition;
  kafkaConnectionId: string;
  kustoConnectionId: string;
  partitions: PartitionView[];
  createdAt: string;
  updatedAt: string;
}

export function toSummaryView(connector: ConnectorSummaryRows, definition = parseStoredDefinition(connector.definition, connector)): ConnectorSummaryView {
  const status = connector.status;
  const now = Date.now();
  const health = connectorHealthOf(connector, status, now);
  const heartbeats = connector.assignments.map((share) => share.worker.heartbeatAt.getTime());
  return {
    id: connector.id,
    name: connector.name,
    revision: connector.revision,
    desiredState: connector.desiredState,
    actualState: status?.actualState ?? 'PENDING',
    appliedRevision: status?.appliedRevision ?? null,
    topics: definition.source.topics,
    target: { database: definition.target.database, table: definition.target.table },
    totalLag: Number(status?.totalLag ?? 0),
    rowsPerSecond: status?.rowsPerSecond ?? 0,
    rowsWritten: Number(status?.rowsWritten ?? 0),
    bytesWritten: Number(status?.bytesWritten ?? 0),
    recordsSkipped: Number(status?.recordsSkipped ?? 0),
    duplicateRows: Number(status?.duplicateRows ?? 0),
    possibleDuplicateRows: Number(status?.possibleDuplicateRows ?? 0),
    lastError: status?.lastError ?? null,
    lastErrorAt: status?.lastErrorAt?.toISOString() ?? null,
    failedRecord: status?.failedRecord ? ZRecordRef.parse(status.failedRecord) : null,
    statusUpdatedAt: status?.updatedAt.toISOString() ?? null,
    health: { status: health.status, reason: health.reason },
    lagSeconds: health.lagSeconds,
    etaSeconds: health.etaSeconds,
    lagTrend: health.lagTrend,
    lagSparkline: connector.samples.map((sample) => Number(sample.totalLag)).reverse(),
    workers: {
      live: heartbeats.filter((at) => isWorkerLive(new Date(at), now)).length,
      lastHeartbeatAt: heartbeats.length === 0 ? null : new Date(Math.max(...heartbeats)).toISOString(),
      lastReportAt: newest(connector.assignments.map((share) => share.updatedAt)),
    },
  };
}

function newest(times: Date[]): string | null {
  return times.length === 0 ? null : new Date(Math.max(...times.map((time) => time.getTime()))).toISOString();
}

function holderOf(assignments: ConnectorWithStatus['assignments'], topic: string, partition: number): string | null {
  const now = Date.now();
  const holder = assignments.find(
    (share) =>
      share.state === 'RUNNING' &&
      isWorkerLive(share.worker.heartbeatAt, now) &&
      ZPartitionRefs.parse(share.partitions).some((ref) => ref.topic === topic && ref.partition === partition),
  );
  return holder?.workerId ?? null;
}

export function toDetailView(connector: ConnectorWithStatus): ConnectorDetailView {
  const definition = parseStoredDefinition(connector.definition, connector);
  return {
    ...toSummaryView(connector, definition),
    definition,
    kafkaConnectionId: connector.kafkaConnectionId,
    kustoConnectionId: connector.kustoConnectionId,
    partitions: connector.partitions.map((partition) => ({
      workerId: holderOf(connector.assignments, partition.topic, partition.partition),
      topic: partition.topic,
      partition: partition.partition,
      committedOffset: partition.committedOffset === null ? null : Number(partition.committedOffset),
      logEndOffset: Number(partition.logEndOffset),
      lag: Number(partition.lag),
      rowsWritten: Number(partition.rowsWritten),
      bytesWritten: Number(partition.bytesWritten),
      updatedAt: partition.updatedAt.toISOString(),
    })),
    createdAt: connector.createdAt.toISOString(),
    updatedAt: connector.updatedAt.toISOString(),
  };
}
