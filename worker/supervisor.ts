import pg from 'pg';
import { CONNECTORS_CHANNEL, type Db } from '../lib/db/prisma';
import { consumerGroupId, type TConnectorDefinition } from '../lib/connectors/connector-definition';
import { applyTargetCommands } from '../lib/kql/apply-target-commands';
import { describeMissingTarget, verifyTarget } from '../lib/kql/verify-target';
import { createKustoClients, type KustoClients } from '../lib/kusto/kusto-clients';
import type { ActualState } from '../lib/generated/prisma/enums';
import type { Prisma } from '../lib/generated/prisma/client';
import { ConnectorPipeline } from './connector-pipeline';
import { IngestionStatusTracker } from './ingestion-status-tracker';
import { KafkaRegistry } from './kafka-registry';
import { KustoSink } from './kusto-sink';
import { MetricsReporter } from './metrics-reporter';
import { previewOf } from './pipeline-events';

export interface SupervisorOptions {
  db: Db;
  databaseUrl: string;
  secretKey: string;
  workerId: string;
  pollIntervalMs: number;
  metricsIntervalMs: number;
  metricsRetentionHours: number;
  log?: (message: string) => void;
}

const connectorWithConnections = { kafkaConnection: true, kustoConnection: true, status: true } satisfies Prisma.ConnectorInclude;
type ConnectorWithConnections = Prisma.ConnectorGetPayload<{ include: typeof connectorWithConnections }>;

interface Running {
  pipeline: ConnectorPipeline;
  kusto: KustoClients;
  /** Follows the outcome of queued blobs (queued and managed modes). */
  tracker: IngestionStatusTracker | null;
  run: string;
}

/** A pipeline is started per revision and restart generation; a change of either replaces it. */
function runOf(connector: { revision: number; restartGeneration: number }): string {
  return `${connector.revision}:${connector.restartGeneration}`;
}

type SupervisorState = 'idle' | 'starting' | 'running' | 'stopping' | 'stopped';

/**
 * Reconciles desired state in Postgres with the pipelines running in this process. Woken by
 * LISTEN/NOTIFY and by a periodic poll (a lost notification only delays, never loses, a change).
 */
export class Supervisor {
  private state: SupervisorState = 'idle';
  private readonly pipelines = new Map<string, Running>();
  /** Runs (revision and restart generation) whose pipeline failed; not retried until either changes. */
  private readonly failedRuns = new Map<string, string>();
  private readonly kafka: KafkaRegistry;
  private readonly metrics: MetricsReporter;
  private readonly log: (message: string) => void;
  private listener: pg.Client | null = null;
  private pollTimer: NodeJS.Timeout | null = null;
  private metricsTimer: NodeJS.Timeout | null = null;
  private reconciling: Promise<void> | null = null;
  private reconcileAgain = false;
  private metricsRunning: Promise<void> | null = null;
  private stopPromise: Promise<void> | null = null;

  constructor(private readonly options: SupervisorOptions) {
    this.log = options.log ?? ((message) => console.log(`[worker ${options.workerId}] ${message}`));
    this.kafka = new KafkaRegistry(options.secretKey, `kastor-worker-${options.workerId}`);
    this.metrics = new MetricsReporter(options.db, this.kafka, options.metricsRetentionHours, this.log);
  }

  async start(): Promise<void> {
    if (this.state !== 'idle') throw new Error(`Supervisor cannot start from state ${this.state}`);
    this.state = 'starting';
    this.listener = new pg.Client({ connectionString: this.options.databaseUrl });
    this.listener.on('notification', () => this.requestReconcile());
    this.listener.on('error', (error) => this.log(`notification connection lost: ${error.message}; polling continues`));
    await this.listener.connect();
    await this.listener.query(`LISTEN ${CONNECTORS_CHANNEL}`);
    this.pollTimer = setInterval(() => this.requestReconcile(), this.options.pollIntervalMs);
    this.metricsTimer = setInterval(() => this.runMetricsCycle(), this.options.metricsIntervalMs);
    this.state = 'running';
    this.requestReconcile();
    await this.reconciling;
    this.log('started');
  }

  /** Waits for the reconcile pass in flight (if any) and the one queued behind it. */
  async settled(): Promise<void> {
    while (this.reconciling) await this.reconciling;
  }

  private requestReconcile(): void {
    if (this.state !== 'running' && this.state !== 'starting') return;
    if (this.reconciling) {
      this.reconcileAgain = true;
      return;
    }
    this.reconciling = this.reconcile()
      .catch((error: Error) => this.log(`reconcile failed: ${error.message}`))
      .finally(() => {
        this.reconciling = null;
        if (this.reconcileAgain) {
          this.reconcileAgain = false;
          this.requestReconcile();
        }
      });
  }

  private runMetricsCycle(): void {
    if (this.metricsRunning || this.state !== 'running') return;
    this.metricsRunning = this.metrics
      .cycle()
      .catch((error: Error) => this.log(`metrics cycle failed: ${error.message}`))
      .finally(() => {
        this.metricsRunning = null;
      });
  }

  private async reconcile(): Promise<void> {
    const connectors = await this.options.db.connector.findMany({
      include: connectorWithConnections,
    });
    const known = new Set(connectors.map((connector) => connector.id));
    for (const id of this.pipelines.keys()) {
      if (!known.has(id)) await this.stopPipeline(id);
    }
    for (const connector of connectors) {
      if (this.state !== 'running' && this.state !== 'starting') return;
      const running = this.pipelines.get(connector.id);
      if (connector.desiredState !== 'RUNNING') this.failedRuns.delete(connector.id);
      switch (connector.desiredState) {
        case 'RUNNING': {
          if (running && running.run === runOf(connector) && !running.pipeline.hasFailed) break;
          if (running) await this.stopPipeline(connector.id);
          if (this.failedRuns.get(connector.id) === runOf(connector)) break;
          this.failedRuns.delete(connector.id);
          await this.startPipeline(connector);
          break;
        }
        case 'PAUSED':
        case 'STOPPED': {
          if (running) await this.stopPipeline(connector.id);
          if (connector.status?.actualState !== connector.desiredState) {
            await this.setStatus(connector.id, { actualState: connector.desiredState });
          }
          break;
        }
        case 'DELETED': {
          if (running) await this.stopPipeline(connector.id);
          await this.deleteConnector(connector);
          break;
        }
      }
    }
  }

  private async startPipeline(connector: ConnectorWithConnections): Promise<void> {
    const definition = connector.definition as unknown as TConnectorDefinition;
    const { secretKey } = this.options;
    await this.setStatus(connector.id, { actualState: 'STARTING' });
    const kusto = createKustoClients(connector.kustoConnection, secretKey);
    try {
      if (connector.kustoConnection.principalRole === 'INGESTOR') {
        // An ingestor may not create or alter anything: check that an admin did, and change nothing.
        const verification = await verifyTarget(kusto.query, definition);
        if (!verification.ready) {
          kusto.close();
          await this.setStatus(connector.id, { actualState: 'FAILED', lastError: describeMissingTarget(definition, verification), lastErrorAt: new Date() });
          this.log(`connector ${connector.name}: target not ready for an ingestor-only principal`);
          return;
        }
        for (const warning of verification.warnings) this.log(`connector ${connector.name}: ${warning}`);
      } else if (connector.status?.appliedRevision !== connector.revision) {
        await applyTargetCommands(kusto.query, definition);
        await this.options.db.auditEvent.create({
          data: { connectorId: connector.id, action: 'apply-target', actor: `worker:${this.options.workerId}`, detail: { revision: connector.revision } },
        });
      }
      await this.setStatus(connector.id, { appliedRevision: connector.revision });
    } catch (error) {
      kusto.close();
      // Applying the target is retried on the next poll: the cause (target down) is usually transient.
      await this.setStatus(connector.id, { actualState: 'FAILED', lastError: (error as Error).message, lastErrorAt: new Date() });
      this.log(`connector ${connector.name}: ${(error as Error).message}`);
      return;
    }
    const sink = new KustoSink(kusto, definition.target, definition.ingestion.mode, (attempt, message, origin, firstLine) =>
      this.metrics.emit({
        type: 'target-retry',
        connectorId: connector.id,
        topic: origin.topic,
        partition: origin.partition,
        offset: origin.lastOffset,
        message: `attempt ${attempt}: ${message}`,
        preview: previewOf(Buffer.from(firstLine, 'utf8')),
      }),
    );
    const tracker = definition.ingestion.mode === 'streaming' ? null : new IngestionStatusTracker(this.options.db, kusto.statusQueues, this.log);
    const pipeline = new ConnectorPipeline({
      connectorId: connector.id,
      definition,
      kafka: this.kafka.kafkaFor(connector.kafkaConnectionId, connector.kafkaConnection),
      sink,
      events: this.metrics,
      recordQueued: async (origin, rows, receipt) => {
        await this.options.db.ingestionBatch.create({
          data: {
            id: receipt.sourceId,
            connectorId: connector.id,
            topic: origin.topic,
            partition: origin.partition,
            firstOffset: origin.firstOffset,
            lastOffset: origin.lastOffset,
            rows,
            rawBytes: receipt.rawBytes,
            blobName: receipt.blobName,
            path: receipt.path,
            fallbackReason: receipt.fallbackReason,
          },
        });
      },
      onFailed: (message) => void this.onPipelineFailed(connector.id, runOf(connector), message),
    });
    this.pipelines.set(connector.id, { pipeline, kusto, tracker, run: runOf(connector) });
    try {
      tracker?.start();
      await pipeline.start();
      await this.setStatus(connector.id, { actualState: 'RUNNING', workerId: this.options.workerId, lastError: null, lastErrorAt: null });
      this.log(`connector ${connector.name}: running revision ${connector.revision}`);
    } catch (error) {
      await this.stopPipeline(connector.id);
      await this.setStatus(connector.id, { actualState: 'FAILED', lastError: `Consumer could not start: ${(error as Error).message}`, lastErrorAt: new Date() });
      this.log(`connector ${connector.name}: consumer could not start — ${(error as Error).message}`);
    }
  }

  private async onPipelineFailed(connectorId: string, run: string, message: string): Promise<void> {
    this.failedRuns.set(connectorId, run);
    this.log(`connector ${connectorId}: failed — ${message}`);
    await this.setStatus(connectorId, { actualState: 'FAILED', lastError: message, lastErrorAt: new Date() });
    this.requestReconcile();
  }

  private async stopPipeline(id: string): Promise<void> {
    const running = this.pipelines.get(id);
    if (!running) return;
    this.pipelines.delete(id);
    await running.pipeline.stop();
    await running.tracker?.stop();
    running.kusto.close();
  }

  private async deleteConnector(connector: ConnectorWithConnections): Promise<void> {
    try {
      const admin = await this.kafka.adminFor(connector.kafkaConnectionId, connector.kafkaConnection);
      await admin.deleteGroups([consumerGroupId(connector.id)]);
    } catch (error) {
      // The group may never have existed; an orphan group only costs a little broker metadata.
      this.log(`connector ${connector.name}: consumer group not deleted — ${(error as Error).message}`);
    }
    await this.options.db.connector.deleteMany({ where: { id: connector.id, desiredState: 'DELETED' } });
    this.log(`connector ${connector.name}: deleted`);
  }

  private async setStatus(
    connectorId: string,
    data: { actualState?: ActualState; appliedRevision?: number; workerId?: string; lastError?: string | null; lastErrorAt?: Date | null },
  ): Promise<void> {
    await this.options.db.connectorStatus.upsert({
      where: { connectorId },
      create: { connectorId, ...data, updatedAt: new Date() },
      update: { ...data, updatedAt: new Date() },
    }).catch((error: Error) => this.log(`status of ${connectorId} not written — ${error.message}`));
  }

  /**
   * Graceful shutdown, bounded and idempotent. Order: stop taking new work (timers, LISTEN) →
   * let the reconcile in flight finish → stop pipelines (they flush and commit) → last metrics
   * cycle so the final counts land → close Kafka admin clients.
   */
  stop(): Promise<void> {
    this.stopPromise ??= this.doStop();
    return this.stopPromise;
  }

  private async doStop(): Promise<void> {
    this.state = 'stopping';
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.metricsTimer) clearInterval(this.metricsTimer);
    await this.listener?.end().catch(() => undefined);
    await this.reconciling;
    await Promise.allSettled([...this.pipelines.keys()].map((id) => this.stopPipeline(id)));
    await this.metricsRunning;
    await this.metrics.cycle().catch(() => undefined);
    this.state = 'stopped';
    await this.kafka.close();
    this.log('stopped');
  }
}
