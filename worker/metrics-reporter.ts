import type { Db } from '../lib/db/prisma';
import { consumerGroupId, type TConnectorDefinition } from '../lib/connectors/connector-definition';
import { fetchConsumerLag, type PartitionLag } from '../lib/kafka/consumer-lag';
import type { KafkaRegistry } from './kafka-registry';
import { partitionKey } from './partition-batcher';
import type { PipelineEvent, PipelineEventSink } from './pipeline-events';

interface Counters {
  rows: number;
  bytes: number;
  skipped: number;
  byPartition: Map<string, { topic: string; partition: number; rows: number; bytes: number }>;
}

type RecordError = Extract<PipelineEvent, { type: 'record-error' }>;

const RATE_WINDOW_MS = 5_000;
const MAX_ERRORS_PER_CYCLE = 200;
const RETENTION_SWEEP_MS = 60_000;

/**
 * Collects pipeline events in memory and, once per cycle, computes every connector's lag from the
 * Kafka admin API and writes counters, per-partition numbers, a time-series sample and recorded
 * errors in one transaction per connector.
 */
export class MetricsReporter implements PipelineEventSink {
  private readonly counters = new Map<string, Counters>();
  private readonly pendingErrors: RecordError[] = [];
  private readonly rateWindows = new Map<string, { at: number; rows: number; bytes: number }[]>();
  private lastSweep = 0;

  constructor(
    private readonly db: Db,
    private readonly kafka: KafkaRegistry,
    private readonly retentionHours: number,
    private readonly log: (message: string) => void,
  ) {}

  emit(event: PipelineEvent): void {
    if (event.type === 'record-error') {
      if (this.pendingErrors.length < MAX_ERRORS_PER_CYCLE * 10) this.pendingErrors.push(event);
      if (event.kind === 'decode' || event.kind === 'dead-lettered') this.countersFor(event.connectorId).skipped += 1;
      return;
    }
    if (event.type === 'written') {
      const counters = this.countersFor(event.connectorId);
      counters.rows += event.rows;
      counters.bytes += event.bytes;
      const key = partitionKey(event.topic, event.partition);
      const partition = counters.byPartition.get(key) ?? { topic: event.topic, partition: event.partition, rows: 0, bytes: 0 };
      partition.rows += event.rows;
      partition.bytes += event.bytes;
      counters.byPartition.set(key, partition);
      return;
    }
    this.log(`connector ${event.connectorId}: target write retry — ${event.message}`);
  }

  async cycle(): Promise<void> {
    const connectors = await this.db.connector.findMany({
      where: { desiredState: { not: 'DELETED' } },
      select: { id: true, definition: true, kafkaConnectionId: true, kafkaConnection: true },
    });
    await Promise.all(
      connectors.map(async (connector) => {
        const definition = connector.definition as unknown as TConnectorDefinition;
        let lag: PartitionLag[] | null = null;
        try {
          const admin = await this.kafka.adminFor(connector.kafkaConnectionId, connector.kafkaConnection);
          lag = await fetchConsumerLag(admin, consumerGroupId(connector.id), definition.source.topics);
        } catch (error) {
          this.log(`connector ${connector.id}: lag unavailable — ${(error as Error).message}`);
        }
        await this.writeConnector(connector.id, lag);
      }),
    );
    await this.writeErrors();
    if (Date.now() - this.lastSweep > RETENTION_SWEEP_MS) {
      this.lastSweep = Date.now();
      await this.db.metricSample.deleteMany({ where: { at: { lt: new Date(Date.now() - this.retentionHours * 3_600_000) } } });
    }
  }

  private async writeConnector(connectorId: string, lag: PartitionLag[] | null): Promise<void> {
    const counters = this.counters.get(connectorId);
    this.counters.delete(connectorId);
    const now = new Date();
    const byPartition = counters?.byPartition ?? new Map();
    try {
      await this.db.$transaction(async (tx) => {
        const status = await tx.connectorStatus.update({
          where: { connectorId },
          data: {
            rowsWritten: { increment: counters?.rows ?? 0 },
            bytesWritten: { increment: counters?.bytes ?? 0 },
            recordsSkipped: { increment: counters?.skipped ?? 0 },
            ...(lag ? { totalLag: lag.reduce((sum, p) => sum + p.lag, 0) } : {}),
          },
        });
        const rates = this.rateFor(connectorId, now.getTime(), Number(status.rowsWritten), Number(status.bytesWritten));
        await tx.connectorStatus.update({ where: { connectorId }, data: { rowsPerSecond: rates.rowsPerSecond } });
        for (const partition of lag ?? []) {
          const written = byPartition.get(partitionKey(partition.topic, partition.partition));
          const numbers = {
            committedOffset: partition.committedOffset,
            logEndOffset: partition.logEndOffset,
            lag: partition.lag,
            updatedAt: now,
          };
          await tx.partitionMetric.upsert({
            where: { connectorId_topic_partition: { connectorId, topic: partition.topic, partition: partition.partition } },
            create: { connectorId, topic: partition.topic, partition: partition.partition, ...numbers, rowsWritten: written?.rows ?? 0, bytesWritten: written?.bytes ?? 0 },
            update: { ...numbers, rowsWritten: { increment: written?.rows ?? 0 }, bytesWritten: { increment: written?.bytes ?? 0 } },
          });
        }
        if (lag) {
          await tx.metricSample.create({
            data: {
              connectorId,
              at: now,
              totalLag: Number(status.totalLag),
              rowsWritten: status.rowsWritten,
              bytesWritten: status.bytesWritten,
              rowsPerSecond: rates.rowsPerSecond,
              bytesPerSecond: rates.bytesPerSecond,
              partitionLag: Object.fromEntries(lag.map((p) => [partitionKey(p.topic, p.partition), p.lag])),
            },
          });
        }
      });
    } catch (error) {
      // The connector may have been deleted meanwhile; its counters are of no further use.
      this.log(`connector ${connectorId}: metrics not written — ${(error as Error).message}`);
    }
  }

  private async writeErrors(): Promise<void> {
    const batch = this.pendingErrors.splice(0, MAX_ERRORS_PER_CYCLE);
    if (batch.length === 0) return;
    await this.db.connectorError
      .createMany({
        data: batch.map((error) => ({
          connectorId: error.connectorId,
          kind: error.kind,
          message: error.message,
          topic: error.topic,
          partition: error.partition,
          offset: BigInt(error.offset),
          preview: error.preview,
        })),
      })
      .catch((error: Error) => this.log(`record errors not written — ${error.message}`));
  }

  private rateFor(connectorId: string, at: number, rows: number, bytes: number) {
    const window = (this.rateWindows.get(connectorId) ?? []).filter((point) => at - point.at <= RATE_WINDOW_MS);
    window.push({ at, rows, bytes });
    this.rateWindows.set(connectorId, window);
    const first = window[0];
    const seconds = (at - first.at) / 1000;
    if (seconds <= 0) return { rowsPerSecond: 0, bytesPerSecond: 0 };
    return { rowsPerSecond: (rows - first.rows) / seconds, bytesPerSecond: (bytes - first.bytes) / seconds };
  }

  private countersFor(connectorId: string): Counters {
    let counters = this.counters.get(connectorId);
    if (!counters) {
      counters = { rows: 0, bytes: 0, skipped: 0, byPartition: new Map() };
      this.counters.set(connectorId, counters);
    }
    return counters;
  }
}
