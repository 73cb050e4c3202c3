import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Db } from '../lib/db/prisma';
import type { PipelineEvent, PipelineEventSink } from './pipeline-events';

/**
 * The worker's Prometheus metrics (prom-client), served on /metrics by the worker's HTTP server.
 * Counters and the batch latency histogram are this process's own (sum them over workers); the
 * lag and state gauges are read from Postgres at scrape time, where the lease holder of each
 * connector wrote them, so every worker reports the same connector-wide values (use max()).
 */
export const workerRegistry = new Registry();
collectDefaultMetrics({ register: workerRegistry, prefix: 'kastor_worker_' });

const rowsWritten = new Counter({
  name: 'kastor_rows_written_total',
  help: 'Rows this worker wrote to the target',
  labelNames: ['connector_id', 'topic'] as const,
  registers: [workerRegistry],
});
const bytesWritten = new Counter({
  name: 'kastor_bytes_written_total',
  help: 'Bytes of records this worker wrote to the target',
  labelNames: ['connector_id', 'topic'] as const,
  registers: [workerRegistry],
});
const recordErrors = new Counter({
  name: 'kastor_record_errors_total',
  help: 'Records that failed to decode or that the target rejected, by kind (decode, dead-lettered, target-rejected)',
  labelNames: ['connector_id', 'kind'] as const,
  registers: [workerRegistry],
});
const batchWriteSeconds = new Histogram({
  name: 'kastor_batch_write_duration_seconds',
  help: 'Time from handing a batch to the target until it was accepted, by ingestion path',
  labelNames: ['connector_id', 'path'] as const,
  // Streaming answers in milliseconds; a queued blob upload and post can take seconds.
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [workerRegistry],
});

export function observeBatchWrite(connectorId: string, path: string, seconds: number): void {
  batchWriteSeconds.observe({ connector_id: connectorId, path }, seconds);
}

/** Counts the pipeline's events into the counters, then hands them on to the metrics reporter. */
export class PrometheusEventSink implements PipelineEventSink {
  constructor(private readonly inner: PipelineEventSink) {}

  emit(event: PipelineEvent): void {
    if (event.type === 'written') {
      rowsWritten.inc({ connector_id: event.connectorId, topic: event.topic }, event.rows);
      bytesWritten.inc({ connector_id: event.connectorId, topic: event.topic }, event.bytes);
    } else if (event.type === 'record-error') {
      recordErrors.inc({ connector_id: event.connectorId, kind: event.kind });
    }
    this.inner.emit(event);
  }
}

const ACTUAL_STATES = ['PENDING', 'STARTING', 'RUNNING', 'PAUSED', 'STOPPED', 'FAILED'] as const;

/** Connector-wide gauges from Postgres; registered once per process with the database it uses. */
export function registerConnectorGauges(db: Db): void {
  if (workerRegistry.getSingleMetric('kastor_consumer_lag')) return;
  let snapshot: Promise<Awaited<ReturnType<typeof readConnectors>>> | null = null;
  // One read serves every gauge of a scrape.
  const read = () => {
    snapshot ??= readConnectors(db).finally(() => setTimeout(() => (snapshot = null), 500));
    return snapshot;
  };
  new Gauge({
    name: 'kastor_connector_info',
    help: 'Connector id to name (always 1)',
    labelNames: ['connector_id', 'connector'] as const,
    registers: [workerRegistry],
    async collect() {
      this.reset();
      for (const connector of await read()) this.set({ connector_id: connector.id, connector: connector.name }, 1);
    },
  });
  new Gauge({
    name: 'kastor_consumer_lag',
    help: "Records behind per partition: log-end offset minus the connector's committed offset",
    labelNames: ['connector_id', 'topic', 'partition'] as const,
    registers: [workerRegistry],
    async collect() {
      this.reset();
      for (const connector of await read()) {
        for (const partition of connector.partitions) {
          this.set({ connector_id: connector.id, topic: partition.topic, partition: String(partition.partition) }, Number(partition.lag));
        }
      }
    },
  });
  new Gauge({
    name: 'kastor_consumer_lag_seconds',
    help: 'Age of the oldest record not yet consumed',
    labelNames: ['connector_id'] as const,
    registers: [workerRegistry],
    async collect() {
      this.reset();
      for (const connector of await read()) this.set({ connector_id: connector.id }, connector.status?.lagSeconds ?? 0);
    },
  });
  new Gauge({
    name: 'kastor_connector_state',
    help: 'The connector is in this state (1) or not (0)',
    labelNames: ['connector_id', 'state'] as const,
    registers: [workerRegistry],
    async collect() {
      this.reset();
      for (const connector of await read()) {
        for (const state of ACTUAL_STATES) this.set({ connector_id: connector.id, state }, connector.status?.actualState === state ? 1 : 0);
      }
    },
  });
}

function readConnectors(db: Db) {
  return db.connector.findMany({
    where: { desiredState: { not: 'DELETED' } },
    select: {
      id: true,
      name: true,
      status: { select: { actualState: true, lagSeconds: true } },
      partitions: { select: { topic: true, partition: true, lag: true } },
    },
  });
}
