import pg from 'pg';
import { CONNECTORS_CHANNEL, type Db } from '../lib/db/prisma';
import { consumerGroupId, targetFor, targetsOf, ZConnectorDefinition, type TConnectorDefinition } from '../lib/connectors/connector-definition';
import { SchemaRegistryClient } from '../lib/schema-registry/registry-client';
import { applyTargetCommands, TargetApplyError } from '../lib/kql/apply-target-commands';
import { describeMissingTarget, verifyTarget } from '../lib/kql/verify-target';
import { describeKustoAuthError } from '../lib/kusto/kusto-auth-error';
import { createKustoClients, type KustoClients } from '../lib/kusto/kusto-clients';
import { isTransientTargetError } from '../lib/kusto/target-errors';
import type { ActualState } from '../lib/generated/prisma/enums';
import type { Prisma } from '../lib/generated/prisma/client';
import { ZRecordRefs } from '../lib/workers/partition-refs';
import { ConnectorPipeline, recordKey, type FailedRecord } from './connector-pipeline';
import { exactlyOnceDeps } from './exactly-once';
import { replayWatermarks } from './replay-watermarks';
import { IngestionStatusTracker } from './ingestion-status-tracker';
import { PartitionFence } from './partition-fence';
import { KafkaRegistry } from './kafka-registry';
import { KustoSink } from './kusto-sink';
import { createRecordDecoder } from './record-decoder';
import { MetricsReporter } from './metrics-reporter';
import { previewOf } from './pipeline-events';
import { PrometheusEventSink } from './prometheus-metrics';
import { WorkerPresence, type PartitionRef } from './worker-presence';

/** A connector's reconcile step (applying KQL, starting a consumer) gets this long before it is reported as hung. */
const RECONCILE_DEADLINE_MS = 60_000;

export interface SupervisorOptions {
  db: Db;
  databaseUrl: string;
  secretKey: string;
  workerId: string;
  pollIntervalMs: number;
  metricsIntervalMs: number;
  metricsRetentionHours: number;
  /** Per-connector reconcile deadline; 60 s by default. */
  reconcileDeadlineMs?: number;
  log?: (message: string) => void;
}

const connectorWithConnections = { kafkaConnection: true, kustoConnection: true, status: true } satisfies Prisma.ConnectorInclude;
type ConnectorWithConnections = Prisma.ConnectorGetPayload<{ include: typeof connectorWithConnections }>;

interface Running {
  pipeline: ConnectorPipeline;
  kusto: KustoClients;
  /** Follows the outcome of queued blobs (queued and managed modes). */
  tracker: IngestionStatusTracker | null;
  /** Exactly-once connectors: the partition fence's Postgres sessions. */
  fence: PartitionFence | null;
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
  private readonly presence: WorkerPresence;
  /** Each connector's reconcile step in flight; a connector is not reconciled again until its step ends. */
  private readonly inFlight = new Map<string, Promise<void>>();
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
    this.presence = new WorkerPresence(options.db, options.workerId);
    this.metrics = new MetricsReporter(options.db, this.kafka, options.metricsRetentionHours, this.log, this.presence, Math.max(5_000, options.metricsIntervalMs * 3));
  }

  async start(): Promise<void> {
    if (this.state !== 'idle') throw new Error(`Supervisor cannot start from state ${this.state}`);
    this.state = 'starting';
    await this.presence.register();
    await this.listen();
    this.pollTimer = setInterval(() => this.requestReconcile(), this.options.pollIntervalMs);
    this.metricsTimer = setInterval(() => this.runMetricsCycle(), this.options.metricsIntervalMs);
    this.state = 'running';
    this.requestReconcile();
    await this.reconciling;
    this.log('started');
  }

  /**
   * LISTEN for changes on a dedicated connection; when Postgres restarts it is opened again (with
   * backoff) and a reconcile catches up on what was missed. The poll covers the gap meanwhile.
   */
  private async listen(attempt = 0): Promise<void> {
    const listener = new pg.Client({ connectionString: this.options.databaseUrl });
    this.listener = listener;
    listener.on('notification', () => this.requestReconcile());
    let lost = false;
    const reconnect = (error?: Error) => {
      if (lost || this.state === 'stopping' || this.state === 'stopped') return;
      lost = true;
      this.log(`notification connection lost${error ? `: ${error.message}` : ''}; polling continues, reconnecting`);
      void listener.end().catch(() => undefined);
      setTimeout(() => {
        if (this.state !== 'running') return;
        // A failure there schedules its own next attempt.
        void this.listen(attempt + 1).then(() => this.requestReconcile());
      }, Math.min(30_000, 500 * 2 ** Math.min(attempt, 6)));
    };
    listener.on('error', reconnect);
    listener.on('end', () => reconnect());
    try {
      await listener.connect();
      await listener.query(`LISTEN ${CONNECTORS_CHANNEL}`);
    } catch (error) {
      // The first connection must work (start() fails loudly); later ones are retried.
      if (attempt === 0) throw error;
      reconnect(error as Error);
    }
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
    // Connectors are reconciled side by side, each within a deadline: one hung target holds only
    // its own connector (whose step is skipped until it settles), never the others or stop().
    const steps = connectors.flatMap((connector) => {
      if (this.inFlight.has(connector.id)) return [];
      const step = this.reconcileConnector(connector).catch((error: Error) => this.log(`connector ${connector.name}: reconcile failed — ${error.message}`));
      this.inFlight.set(connector.id, step);
      void step.finally(() => this.inFlight.delete(connector.id));
      return [this.withinDeadline(connector, step)];
    });
    await Promise.all(steps);
  }

  private async withinDeadline(connector: ConnectorWithConnections, step: Promise<void>): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), this.options.reconcileDeadlineMs ?? RECONCILE_DEADLINE_MS);
    });
    const outcome = await Promise.race([step.then(() => 'done' as const), deadline]);
    clearTimeout(timer);
    if (outcome === 'late') {
      const message = `Reconciling took longer than ${Math.round((this.options.reconcileDeadlineMs ?? RECONCILE_DEADLINE_MS) / 1000)} s: the target or Kafka is not answering; it is retried once the step in flight ends`;
      this.log(`connector ${connector.name}: ${message}`);
      await this.presence.report(connector.id, { state: 'FAILED', revision: connector.revision, lastError: message }).catch(() => undefined);
    }
  }

  private async reconcileConnector(connector: ConnectorWithConnections): Promise<void> {
    if (this.state !== 'running' && this.state !== 'starting') return;
    const running = this.pipelines.get(connector.id);
    if (connector.desiredState !== 'RUNNING') this.failedRuns.delete(connector.id);
    switch (connector.desiredState) {
      case 'RUNNING': {
        if (running && running.run === runOf(connector) && !running.pipeline.hasFailed) return;
        if (running) await this.stopPipeline(connector.id);
        if (this.failedRuns.get(connector.id) === runOf(connector)) return;
        this.failedRuns.delete(connector.id);
        await this.startPipeline(connector);
        return;
      }
      case 'PAUSED':
      case 'STOPPED': {
        if (running) await this.stopPipeline(connector.id);
        const share = await this.options.db.connectorAssignment.findUnique({ where: { connectorId_workerId: { connectorId: connector.id, workerId: this.options.workerId } } });
        if (share?.state !== connector.desiredState || connector.status?.actualState !== connector.desiredState) {
          await this.presence.report(connector.id, { state: connector.desiredState, revision: connector.revision, partitions: [], lastError: null });
        }
        return;
      }
      case 'DELETED': {
        if (running) await this.stopPipeline(connector.id);
        await this.deleteConnector(connector);
        return;
      }
    }
  }

  private async startPipeline(connector: ConnectorWithConnections): Promise<void> {
    const definition = ZConnectorDefinition.parse(connector.definition);
    const { secretKey } = this.options;
    const run = runOf(connector);
    const report = (state: ActualState, extra: { partitions?: PartitionRef[]; lastError?: string | null } = {}) =>
      this.presence.report(connector.id, { state, revision: connector.revision, ...extra }).catch((error: Error) => this.log(`share of ${connector.name} not written — ${error.message}`));
    const describe = (error: unknown) => describeKustoAuthError(error, connector.kustoConnection) ?? (error as Error).message;
    await report('STARTING', { partitions: [], lastError: null });
    const kusto = createKustoClients(connector.kustoConnection, secretKey);
    try {
      if (connector.kustoConnection.principalRole === 'INGESTOR') {
        // An ingestor may not create or alter anything: check that an admin did, and change nothing.
        const verification = await verifyTarget(kusto.query, definition);
        if (!verification.ready) {
          kusto.close();
          this.failedRuns.set(connector.id, run);
          await report('FAILED', { lastError: describeMissingTarget(definition, verification) });
          this.log(`connector ${connector.name}: target not ready for an ingestor-only principal`);
          return;
        }
        for (const warning of verification.warnings) this.log(`connector ${connector.name}: ${warning}`);
        // Verified rather than applied: the revision the target was last checked against.
        await this.options.db.connectorStatus.upsert({
          where: { connectorId: connector.id },
          create: { connectorId: connector.id, appliedRevision: connector.revision },
          update: { appliedRevision: connector.revision },
        });
      } else {
        await this.applyTargetOnce(connector, definition, kusto);
      }
    } catch (error) {
      kusto.close();
      // A refused sign-in or permission stays refused until the connection or the connector
      // changes (or a restart); anything else (target down) is retried on the next poll.
      if (!isTransientTargetError(error instanceof TargetApplyError ? error.cause : error)) this.failedRuns.set(connector.id, run);
      await report('FAILED', { lastError: describe(error) });
      this.log(`connector ${connector.name}: ${describe(error)}`);
      return;
    }
    // A step that outlived its deadline may end after stop() began: start nothing then.
    if (this.state !== 'running' && this.state !== 'starting') {
      kusto.close();
      return;
    }
    // One sink per table: a topic's batches go to the table its route names.
    const sinks = new Map(
      targetsOf(definition).map((target) => [
        target.table,
        new KustoSink(
      kusto,
      target,
      definition.ingestion.mode,
      (attempt, message, origin, firstLine) =>
        this.metrics.emit({
          type: 'target-retry',
          connectorId: connector.id,
          topic: origin.topic,
          partition: origin.partition,
          offset: origin.lastOffset,
          message: `attempt ${attempt}: ${message}`,
          preview: previewOf(firstLine),
        }),
      (error) => describeKustoAuthError(error, connector.kustoConnection),
        ),
      ]),
    );
    const tracker = definition.ingestion.mode === 'streaming' ? null : new IngestionStatusTracker(this.options.db, kusto.statusQueues, this.log);
    const fence = definition.delivery === 'exactly-once' ? new PartitionFence(this.options.databaseUrl, connector.id, this.options.workerId) : null;
    const pipeline = new ConnectorPipeline({
      connectorId: connector.id,
      definition,
      kafka: this.kafka.kafkaFor(connector.kafkaConnectionId, connector.kafkaConnection),
      sinkFor: (topic) => sinks.get(targetFor(definition, topic).table)!,
      decode: createRecordDecoder(definition, SchemaRegistryClient.fromConnection(connector.kafkaConnection, secretKey)),
      events: new PrometheusEventSink(this.metrics),
      recordQueued: async (origin, rows, receipt) => {
        // Exactly-once recorded the range before sending it: then the row is there already.
        await this.options.db.ingestionBatch.upsert({
          where: { id: receipt.sourceId },
          update: {},
          create: {
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
      log: this.log,
      onAssigned: (partitions) => {
        if (this.pipelines.get(connector.id)?.pipeline === pipeline && !pipeline.hasFailed) void report('RUNNING', { partitions });
      },
      exactlyOnce: fence ? exactlyOnceDeps(this.options.db, connector.id, definition, kusto, fence) : null,
      watermarks: replayWatermarks(this.options.db, connector.id),
      skipRecords: new Set(ZRecordRefs.parse(connector.skipRecords).map((record) => recordKey(record.topic, record.partition, record.offset))),
      onFailed: (message, record, retry) => void this.onPipelineFailed(connector, run, message, record, retry),
    });
    this.pipelines.set(connector.id, { pipeline, kusto, tracker, fence, run });
    try {
      tracker?.start();
      await pipeline.start();
      // A pipeline can fail between its consumer starting and here (the first record it reads
      // is refused under the "fail" policy): its FAILED stands, not overwritten by RUNNING.
      if (!pipeline.hasFailed) {
        this.log(`connector ${connector.name}: running revision ${connector.revision}`);
        await report('RUNNING', { lastError: null });
      }
    } catch (error) {
      await this.stopPipeline(connector.id);
      await report('FAILED', { partitions: [], lastError: `Consumer could not start: ${(error as Error).message}` });
      this.log(`connector ${connector.name}: consumer could not start — ${(error as Error).message}`);
    }
  }

  /**
   * Makes the target match the revision once, whichever worker gets there first: the check of
   * the applied revision, the KQL and the audit entry run under the connector's advisory lock.
   * A revision saved by the create or save-revision request is recorded applied already, so
   * nothing runs; one saved otherwise (an older row, a schema change, a rollback) is applied here.
   */
  private async applyTargetOnce(connector: ConnectorWithConnections, definition: TConnectorDefinition, kusto: KustoClients): Promise<void> {
    const { db, workerId } = this.options;
    await db.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`kastor-apply-${connector.id}`}))`;
        const status = await tx.connectorStatus.findUnique({ where: { connectorId: connector.id }, select: { appliedRevision: true } });
        if (status?.appliedRevision === connector.revision) return;
        await applyTargetCommands(kusto.query, definition);
        await tx.auditEvent.create({
          data: { connectorId: connector.id, action: 'apply-target', actor: `worker:${workerId}`, detail: { revision: connector.revision } },
        });
        await tx.connectorStatus.upsert({
          where: { connectorId: connector.id },
          create: { connectorId: connector.id, appliedRevision: connector.revision },
          update: { appliedRevision: connector.revision },
        });
      },
      { timeout: RECONCILE_DEADLINE_MS, maxWait: RECONCILE_DEADLINE_MS },
    );
  }

  private async onPipelineFailed(connector: ConnectorWithConnections, run: string, message: string, failedRecord: FailedRecord | null, retry: boolean): Promise<void> {
    // A passing cause (Kafka out of reach) is started again by the next reconcile, as a target
    // that is down is; anything else stays failed until the connector changes or is restarted.
    if (!retry) this.failedRuns.set(connector.id, run);
    this.log(`connector ${connector.name}: failed — ${message}`);
    await this.presence.report(connector.id, { state: 'FAILED', revision: connector.revision, partitions: [], lastError: message, failedRecord }).catch(() => undefined);
    this.requestReconcile();
  }

  private async stopPipeline(id: string): Promise<void> {
    const running = this.pipelines.get(id);
    if (!running) return;
    this.pipelines.delete(id);
    await running.pipeline.stop();
    await running.tracker?.stop();
    await running.fence?.close().catch(() => undefined);
    running.kusto.close();
  }

  /**
   * Every worker stops its pipeline; the consumer group can only be deleted once no member is
   * left (Kafka answers NON_EMPTY_GROUP until then), so the connector's row goes only after the
   * group did, and a worker that finds members retries on its next poll.
   */
  private async deleteConnector(connector: ConnectorWithConnections): Promise<void> {
    await this.presence.withdraw(connector.id).catch(() => undefined);
    try {
      const admin = await this.kafka.adminFor(connector.kafkaConnectionId, connector.kafkaConnection);
      await admin.deleteGroups([consumerGroupId(connector.id)]);
    } catch (error) {
      const groups = (error as { groups?: { error?: { type?: string } }[] }).groups ?? [];
      const notFound = groups.length > 0 && groups.every((group) => group.error?.type === 'GROUP_ID_NOT_FOUND');
      if (!notFound) {
        this.log(`connector ${connector.name}: consumer group not deleted yet — ${(error as Error).message}`);
        return;
      }
    }
    await this.options.db.connector.deleteMany({ where: { id: connector.id, desiredState: 'DELETED' } });
    this.log(`connector ${connector.name}: deleted`);
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
    // Last: the shares go with the worker row, so the others' states are derived without it.
    await this.presence.unregister().catch((error: Error) => this.log(`worker row not removed — ${error.message}`));
    this.state = 'stopped';
    await this.kafka.close();
    this.log('stopped');
  }
}
