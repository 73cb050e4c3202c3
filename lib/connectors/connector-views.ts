import type { Prisma } from '../generated/prisma/client';
import { assessConnectorHealth } from '../health/assess-connector-health';
import type { HealthStatus } from '../health/evaluate-health';
import { ZPartitionRefs, ZRecordRef, type TRecordRef } from '../workers/partition-refs';
import { isWorkerLive } from '../workers/worker-views';
import type { TConnectorDefinition } from './connector-definition';

/** Samples behind the sparkline; the health window is the newest of them. */
const SPARKLINE_SAMPLES = 30;

export const connectorViewInclude = {
  status: true,
  assignments: { select: { workerId: true, state: true, partitions: true, worker: { select: { heartbeatAt: true } } } },
  partitions: { orderBy: [{ topic: 'asc' }, { partition: 'asc' }] },
  samples: {
    orderBy: { at: 'desc' },
    take: SPARKLINE_SAMPLES,
    select: { at: true, totalLag: true, partitionLag: true, partitionOffsets: true },
  },
} satisfies Prisma.ConnectorInclude;

type ConnectorWithStatus = Prisma.ConnectorGetPayload<{ include: typeof connectorViewInclude }>;

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
  /** totalLag of the newest samples, oldest first. */
  lagSparkline: number[];
}

export interface ConnectorDetailView extends ConnectorSummaryView {
  definition: TConnectorDefinition;
  kafkaConnectionId: string;
  kustoConnectionId: string;
  partitions: PartitionView[];
  createdAt: string;
  updatedAt: string;
}

export function toSummaryView(connector: ConnectorWithStatus): ConnectorSummaryView {
  const definition = connector.definition as unknown as TConnectorDefinition;
  const status = connector.status;
  const samples = [...connector.samples].reverse();
  const health = assessConnectorHealth(samples, status, Date.now());
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
    lastError: status?.lastError ?? null,
    lastErrorAt: status?.lastErrorAt?.toISOString() ?? null,
    failedRecord: status?.failedRecord ? ZRecordRef.parse(status.failedRecord) : null,
    statusUpdatedAt: status?.updatedAt.toISOString() ?? null,
    health: { status: health.status, reason: health.reason },
    lagSeconds: health.lagSeconds,
    etaSeconds: health.etaSeconds,
    lagSparkline: samples.map((sample) => Number(sample.totalLag)),
  };
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
  return {
    ...toSummaryView(connector),
    definition: connector.definition as unknown as TConnectorDefinition,
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
