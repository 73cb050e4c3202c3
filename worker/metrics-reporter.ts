import type { Kafka } from 'kafkajs';
import type { Db } from '../lib/db/prisma';
import { evaluateConnectorAlerts } from '../lib/alerts/evaluate-connector-alerts';
import { consumerGroupId, ZConnectorDefinition } from '../lib/connectors/connector-definition';
import { fetchConsumerLag, type PartitionLag, type TopicOffsets } from '../lib/kafka/consumer-lag';
import { readPartitionMessages } from '../lib/kafka/read-partition-messages';
import type { KafkaRegistry } from './kafka-registry';
import { partitionKey } from './partition-batcher';
import type { PipelineEvent, PipelineEventSink } from './pipeline-events';
import type { WorkerPresence } from './worker-presence';

interface Counters {
  rows: number;
  bytes: number;
  skipped: number;
  duplicates: number;
  possibleDuplicates: number;
  lastPath: string | null;
  byPartition: Map<string, { topic: string; partition: number; rows: number; bytes: number; lastOffset: number }>;
}

type RecordError = Extract<PipelineEvent, { type: 'record-error' }>;
type LeasedConnector = { id: string; definition: unknown; kafkaConnectionId: string; kafkaConnection: Parameters<KafkaRegistry['adminFor']>[1] };
type LagReading = { connectorId: string; lag: PartitionLag[] | null; lagSeconds: number | null };
type TargetRetry = Extract<PipelineEvent, { type: 'target-retry' }>;

interface PendingConversion {
  connectorId: string;
  minute: Date;
  table: string;
  column: string;
  kind: string;
  columnType: string;
  count: number;
  checked: number;
  example: { topic: string; partition: number; offset: number; value: string };
}

/** Kept at most this many distinct (connector, minute, column) rows between cycles. */
const MAX_PENDING_CONVERSIONS = 5_000;

/**
 * Errors whose record the stream went past: skipped or dead-lettered by the policy. A record a
 * connector failed on (policy "fail") was not skipped: it is read again on restart.
 */
function isSkip(event: RecordError): boolean {
  return event.skipped === true;
}

const RATE_WINDOW_MS = 5_000;
const MAX_ERRORS_PER_CYCLE = 200;
const RETENTION_SWEEP_MS = 60_000;
const RECORD_TIME_REFRESH_MS = 2_000;
/**
 * Each record read opens its own connections: a cycle that takes over many lagging partitions at
 * once (a start, a hand-over) reads them a few at a time rather than timing its connections out.
 */
const MAX_RECORD_READS = 16;

/**
 * Collects pipeline events in memory and, once per cycle, writes this worker's counters and
 * recorded errors; for the connectors whose lease it holds it also computes lag from the Kafka
 * admin API and writes per-partition numbers and a time-series sample.
 */
export class MetricsReporter implements PipelineEventSink {
  private readonly counters = new Map<string, Counters>();
  private readonly pendingErrors: RecordError[] = [];
  /** Retries can come several times a second during an outage: one row per connector per cycle. */
  private readonly pendingRetries = new Map<string, { count: number; last: TargetRetry }>();
  /** Timestamp of the record at a partition's committed offset, refetched only when the offset moves. */
  private readonly recordTimes = new Map<string, { offset: number; timestamp: number; readAt: number }>();
  /** Conversion findings by connector, minute, table, column and kind, written each cycle as increments. */
  private readonly pendingConversions = new Map<string, PendingConversion>();
  private readonly rateWindows = new Map<string, { at: number; rows: number; bytes: number }[]>();
  private recordReads = 0;
  private readonly recordReadQueue: (() => void)[] = [];
  private lastSweep = 0;

  constructor(
    private readonly db: Db,
    private readonly kafka: KafkaRegistry,
    private readonly retentionHours: number,
    private readonly log: (message: string) => void,
    private readonly presence: WorkerPresence,
    private readonly leaseMs: number,
  ) {}

  emit(event: PipelineEvent): void {
    if (event.type === 'record-error') {
      // A skipped record is counted when its error row is written, once however often a restart
      // replays it; only one that cannot be queued any more is counted here, as it stands.
      if (this.pendingErrors.length < MAX_ERRORS_PER_CYCLE * 10) this.pendingErrors.push(event);
      else if (isSkip(event)) this.countersFor(event.connectorId).skipped += 1;
      return;
    }
    if (event.type === 'conversions') {
      const minute = new Date(Math.floor(event.at / 60_000) * 60_000);
      for (const issue of event.issues) {
        const key = `${event.connectorId}\u0000${minute.getTime()}\u0000${issue.table}\u0000${issue.column}\u0000${issue.kind}`;
        const pending = this.pendingConversions.get(key);
        if (pending) {
          pending.count += issue.count;
          pending.checked += event.checked;
        } else if (this.pendingConversions.size < MAX_PENDING_CONVERSIONS) {
          this.pendingConversions.set(key, { connectorId: event.connectorId, minute, table: issue.table, column: issue.column, kind: issue.kind, columnType: issue.columnType, count: issue.count, checked: event.checked, example: issue.example });
        }
      }
      return;
    }
    if (event.type === 'duplicates') {
      const counters = this.countersFor(event.connectorId);
      counters.duplicates += event.rows;
      counters.possibleDuplicates += event.possibleRows;
      return;
    }
    if (event.type === 'written') {
      const counters = this.countersFor(event.connectorId);
      counters.rows += event.rows;
      counters.bytes += event.bytes;
      counters.lastPath = event.path;
      const key = partitionKey(event.topic, event.partition);
      const partition = counters.byPartition.get(key) ?? { topic: event.topic, partition: event.partition, rows: 0, bytes: 0, lastOffset: -1 };
      partition.rows += event.rows;
      partition.bytes += event.bytes;
      partition.lastOffset = Math.max(partition.lastOffset, event.lastOffset);
      counters.byPartition.set(key, partition);
      return;
    }
    const retries = this.pendingRetries.get(event.connectorId);
    this.pendingRetries.set(event.connectorId, { count: (retries?.count ?? 0) + 1, last: event });
  }

  /**
   * Every worker writes what its own pipelines wrote (increments add up); the worker holding a
   * connector's lease also reads its lag from Kafka, writes the sample and rate, and re-derives
   * its state (dropping workers that went silent) — once per connector per cycle, not once per worker.
   */
  async cycle(): Promise<void> {
    await this.presence.heartbeat().catch((error: Error) => this.log(`heartbeat not written — ${error.message}`));
    const connectors = await this.db.connector.findMany({
      where: { desiredState: { not: 'DELETED' } },
      select: { id: true, definition: true, kafkaConnectionId: true, kafkaConnection: true },
    });
    const live = new Set(connectors.map((connector) => connector.id));
    for (const key of this.recordTimes.keys()) {
      if (!live.has(key.slice(0, key.indexOf('/')))) this.recordTimes.delete(key);
    }
    const held = await this.holdLeases([...live]);
    // Each step covers every connector in a few statements: per-connector queries do not scale to
    // a thousand connectors a second.
    await this.writeCounters([...live]);
    const leased = connectors.filter((connector) => held.has(connector.id));
    const readings = await this.readLags(leased);
    await this.writeLags(readings);
    const leasedIds = leased.map((connector) => connector.id);
    await this.presence
      .aggregateMany(leasedIds, (connectorId, error) => this.log(`connector ${connectorId}: state not derived — ${error.message}`))
      .catch((error: Error) => this.log(`states not derived — ${error.message}`));
    await evaluateConnectorAlerts(this.db, leasedIds, (connectorId, error) => this.log(`connector ${connectorId}: alerts not evaluated — ${error.message}`)).catch((error: Error) =>
      this.log(`alerts not evaluated — ${error.message}`),
    );
    await this.writeErrors();
    await this.writeConversions();
    if (Date.now() - this.lastSweep > RETENTION_SWEEP_MS) {
      this.lastSweep = Date.now();
      const cutoff = new Date(Date.now() - this.retentionHours * 3_600_000);
      await this.db.metricSample.deleteMany({ where: { at: { lt: cutoff } } });
      await this.db.conversionIssue.deleteMany({ where: { minute: { lt: cutoff } } });
      // The errors list shows recent failures; a long target outage adds a retry row every cycle.
      await this.db.connectorError.deleteMany({ where: { at: { lt: cutoff } } });
      await this.db.ingestionBatch.deleteMany({ where: { status: { not: 'PENDING' }, completedAt: { lt: cutoff } } });
    }
  }

  /**
   * Takes or renews the lease of each connector whose lease is free, expired or already ours, in
   * one statement; returns the connectors this worker holds.
   */
  private async holdLeases(connectorIds: string[]): Promise<Set<string>> {
    if (connectorIds.length === 0) return new Set();
    const holder = this.presence.workerId;
    const rows = await this.db.$queryRaw<{ connectorId: string }[]>`
      INSERT INTO "ConnectorLease" ("connectorId", "holder", "expiresAt")
      SELECT id, ${holder}, now() + ${this.leaseMs} * interval '1 millisecond' FROM unnest(${connectorIds}::uuid[]) AS id
      ON CONFLICT ("connectorId") DO UPDATE SET "holder" = EXCLUDED."holder", "expiresAt" = EXCLUDED."expiresAt"
      WHERE "ConnectorLease"."holder" = EXCLUDED."holder" OR "ConnectorLease"."expiresAt" < now()
      RETURNING "connectorId"::text AS "connectorId"`.catch((error: Error) => {
      this.log(`leases not renewed — ${error.message}`);
      return [];
    });
    return new Set(rows.map((row) => row.connectorId));
  }

  /**
   * Lag from Kafka for the connectors this worker leases. A topic's log-end offsets and a
   * connection's topic list are asked once per cycle however many connectors read them.
   */
  private async readLags(connectors: LeasedConnector[]): Promise<LagReading[]> {
    const asked = new Map<string, Promise<unknown>>();
    const once = <T>(key: string, ask: () => Promise<T>): Promise<T> => {
      if (!asked.has(key)) asked.set(key, ask());
      return asked.get(key) as Promise<T>;
    };
    return Promise.all(
      connectors.map(async (connector) => {
        const definition = ZConnectorDefinition.parse(connector.definition);
        try {
          const admin = await this.kafka.adminFor(connector.kafkaConnectionId, connector.kafkaConnection);
          // A topic pattern's topics are whatever matches now, as the consumer subscribed to them.
          const pattern = definition.source.topicPattern ? new RegExp(`^(?:${definition.source.topicPattern})$`) : null;
          const listed = pattern ? await once(`${connector.kafkaConnectionId}\u0000`, () => admin.listTopics()) : [];
          const topics = pattern ? [...new Set([...definition.source.topics, ...listed.filter((topic) => pattern.test(topic))])] : definition.source.topics;
          const ends = (topic: string): Promise<TopicOffsets> => once(`${connector.kafkaConnectionId}\u0000${topic}`, () => admin.fetchTopicOffsets(topic));
          const lag = await fetchConsumerLag(admin, consumerGroupId(connector.id), topics, ends);
          const lagSeconds = await this.oldestUnconsumedAgeSeconds(connector.id, this.kafka.kafkaFor(connector.kafkaConnectionId, connector.kafkaConnection), lag);
          return { connectorId: connector.id, lag, lagSeconds };
        } catch (error) {
          this.log(`connector ${connector.id}: lag unavailable — ${(error as Error).message}`);
          return { connectorId: connector.id, lag: null, lagSeconds: null };
        }
      }),
    );
  }

  /**
   * Writes a batch of connectors' figures in one go; if that fails (a connector deleted
   * meanwhile breaks its foreign keys), each connector alone, so one does not cost the others theirs.
   */
  private async writeEach<T extends { connectorId: string }>(items: T[], what: string, write: (items: T[]) => Promise<unknown>): Promise<void> {
    if (items.length === 0) return;
    try {
      await write(items);
    } catch (error) {
      if (items.length === 1) {
        this.log(`connector ${items[0].connectorId}: ${what} — ${(error as Error).message}`);
        return;
      }
      for (const item of items) await this.writeEach([item], what, write);
    }
  }

  /**
   * Lag in time: the age of the record at the committed offset, the oldest one not yet consumed.
   * Null when no partition's record could be read (e.g. deleted by retention meanwhile).
   */
  private async oldestUnconsumedAgeSeconds(connectorId: string, kafka: Kafka, lag: PartitionLag[]): Promise<number | null> {
    const now = Date.now();
    const ages = await Promise.all(
      lag.map(async (partition) => {
        const key = `${connectorId}/${partitionKey(partition.topic, partition.partition)}`;
        if (partition.lag <= 0) {
          this.recordTimes.delete(key);
          return 0;
        }
        const offset = Math.max(partition.committedOffset ?? partition.logStartOffset, partition.logStartOffset);
        let known = this.recordTimes.get(key);
        // Reading the record costs a fetch: under steady load the offset moves every cycle, so an
        // age up to 2 s old (an upper bound: that record is older) is reused meanwhile.
        if (known?.offset !== offset && (known === undefined || now - known.readAt >= RECORD_TIME_REFRESH_MS || offset < known.offset)) {
          const [record] = await this.readingRecord(() =>
            readPartitionMessages(kafka, { topic: partition.topic, partition: partition.partition, fromOffset: offset, maxMessages: 1, maxBytes: 64 * 1024 }),
          ).catch(
            (error: Error) => {
              this.log(`connector ${connectorId}: record at ${key}@${offset} unreadable — ${error.message}`);
              return [];
            },
          );
          if (!record) return null;
          known = { offset, timestamp: Date.parse(record.timestamp), readAt: now };
          this.recordTimes.set(key, known);
        }
        return Math.max(0, (now - known.timestamp) / 1000);
      }),
    );
    const readable = ages.filter((age): age is number => age !== null);
    return readable.length === 0 && ages.length > 0 ? null : Math.max(0, ...readable);
  }

  private async readingRecord<T>(read: () => Promise<T>): Promise<T> {
    while (this.recordReads >= MAX_RECORD_READS) await new Promise<void>((resolve) => this.recordReadQueue.push(resolve));
    this.recordReads += 1;
    try {
      return await read();
    } finally {
      this.recordReads -= 1;
      this.recordReadQueue.shift()?.();
    }
  }

  /** This worker's rows and bytes since the last cycle, added to the connectors' and their partitions' totals. */
  private async writeCounters(connectorIds: string[]): Promise<void> {
    const batch = connectorIds.flatMap((connectorId) => {
      const counters = this.counters.get(connectorId);
      if (!counters) return [];
      this.counters.delete(connectorId);
      return [{ connectorId, ...counters }];
    });
    await this.writeEach(batch, 'counters not written', (items) => {
      const partitions = items.flatMap((item) => [...item.byPartition.values()].map((written) => ({ connectorId: item.connectorId, ...written })));
      const column = <K extends keyof (typeof partitions)[number]>(key: K) => partitions.map((written) => written[key]);
      return this.db.$transaction([
        this.db.$executeRaw`
          UPDATE "ConnectorStatus" AS s SET
            "rowsWritten" = s."rowsWritten" + v.rows, "bytesWritten" = s."bytesWritten" + v.bytes,
            "recordsSkipped" = s."recordsSkipped" + v.skipped, "duplicateRows" = s."duplicateRows" + v.duplicates,
            "possibleDuplicateRows" = s."possibleDuplicateRows" + v.possible, "lastIngestionPath" = COALESCE(v.path, s."lastIngestionPath")
          FROM unnest(${items.map((item) => item.connectorId)}::uuid[], ${items.map((item) => item.rows)}::bigint[], ${items.map((item) => item.bytes)}::bigint[],
            ${items.map((item) => item.skipped)}::bigint[], ${items.map((item) => item.duplicates)}::bigint[], ${items.map((item) => item.possibleDuplicates)}::bigint[],
            ${items.map((item) => item.lastPath)}::text[]) AS v (id, rows, bytes, skipped, duplicates, possible, path)
          WHERE s."connectorId" = v.id`,
        // GREATEST: several workers (and a replay) report offsets of the same partition.
        this.db.$executeRaw`
          INSERT INTO "PartitionMetric" ("connectorId", "topic", "partition", "rowsWritten", "bytesWritten", "lastWrittenOffset", "updatedAt")
          SELECT v.id, v.topic, v.partition, v.rows, v.bytes, v.last, now()
          FROM unnest(${column('connectorId')}::uuid[], ${column('topic')}::text[], ${column('partition')}::int[], ${column('rows')}::bigint[], ${column('bytes')}::bigint[], ${column('lastOffset')}::bigint[])
            AS v (id, topic, partition, rows, bytes, last)
          JOIN "Connector" c ON c.id = v.id
          ON CONFLICT ("connectorId", "topic", "partition") DO UPDATE SET
            "rowsWritten" = "PartitionMetric"."rowsWritten" + EXCLUDED."rowsWritten",
            "bytesWritten" = "PartitionMetric"."bytesWritten" + EXCLUDED."bytesWritten",
            "lastWrittenOffset" = GREATEST("PartitionMetric"."lastWrittenOffset", EXCLUDED."lastWrittenOffset")`,
      ]);
    });
  }

  /** Lease holder only: per-partition lag, each connector's rate from its totals, and one time-series sample each. */
  private async writeLags(readings: LagReading[]): Promise<void> {
    if (readings.length === 0) return;
    const now = new Date();
    const totals = await this.db.connectorStatus
      .findMany({ where: { connectorId: { in: readings.map((reading) => reading.connectorId) } }, select: { connectorId: true, rowsWritten: true, bytesWritten: true, totalLag: true } })
      .catch((error: Error) => {
        this.log(`metrics not written — ${error.message}`);
        return [];
      });
    const totalsOf = new Map(totals.map((status) => [status.connectorId, status]));
    const figures = readings.flatMap((reading) => {
      const status = totalsOf.get(reading.connectorId);
      if (!status) return [];
      const rates = this.rateFor(reading.connectorId, now.getTime(), Number(status.rowsWritten), Number(status.bytesWritten));
      const totalLag = reading.lag ? reading.lag.reduce((sum, p) => sum + p.lag, 0) : Number(status.totalLag);
      return [{ ...reading, status, rates, totalLag }];
    });
    await this.writeEach(figures, 'metrics not written', (items) => {
      const measured = items.filter((item) => item.lag !== null);
      const partitions = measured.flatMap((item) => item.lag!.map((partition) => ({ connectorId: item.connectorId, ...partition })));
      const column = <K extends keyof (typeof partitions)[number]>(key: K) => partitions.map((partition) => partition[key]);
      return this.db.$transaction([
        // Without a lag reading the stored lag stays; the rate is always refreshed.
        this.db.$executeRaw`
          UPDATE "ConnectorStatus" AS s SET
            "totalLag" = CASE WHEN v.measured THEN v.total ELSE s."totalLag" END,
            "lagSeconds" = CASE WHEN v.measured THEN v.seconds ELSE s."lagSeconds" END,
            "rowsPerSecond" = v.rate
          FROM unnest(${items.map((item) => item.connectorId)}::uuid[], ${items.map((item) => item.lag !== null)}::boolean[], ${items.map((item) => item.totalLag)}::bigint[],
            ${items.map((item) => item.lagSeconds)}::float8[], ${items.map((item) => item.rates.rowsPerSecond)}::float8[]) AS v (id, measured, total, seconds, rate)
          WHERE s."connectorId" = v.id`,
        this.db.$executeRaw`
          INSERT INTO "PartitionMetric" ("connectorId", "topic", "partition", "committedOffset", "logEndOffset", "lag", "updatedAt")
          SELECT v.id, v.topic, v.partition, v.committed, v.ends, v.lag, ${now}::timestamptz
          FROM unnest(${column('connectorId')}::uuid[], ${column('topic')}::text[], ${column('partition')}::int[], ${column('committedOffset')}::bigint[], ${column('logEndOffset')}::bigint[], ${column('lag')}::bigint[])
            AS v (id, topic, partition, committed, ends, lag)
          JOIN "Connector" c ON c.id = v.id
          ON CONFLICT ("connectorId", "topic", "partition") DO UPDATE SET
            "committedOffset" = EXCLUDED."committedOffset", "logEndOffset" = EXCLUDED."logEndOffset", "lag" = EXCLUDED."lag", "updatedAt" = EXCLUDED."updatedAt"`,
        this.db.$executeRaw`
          INSERT INTO "MetricSample" ("connectorId", "at", "totalLag", "rowsWritten", "bytesWritten", "rowsPerSecond", "bytesPerSecond", "partitionLag", "partitionOffsets")
          SELECT v.id, ${now}::timestamptz, v.lag, v.rows, v.bytes, v.rate, v.byte_rate, v.partition_lag::jsonb, v.partition_offsets::jsonb
          FROM unnest(${measured.map((item) => item.connectorId)}::uuid[], ${measured.map((item) => item.totalLag)}::bigint[],
            ${measured.map((item) => Number(item.status.rowsWritten))}::bigint[], ${measured.map((item) => Number(item.status.bytesWritten))}::bigint[],
            ${measured.map((item) => item.rates.rowsPerSecond)}::float8[], ${measured.map((item) => item.rates.bytesPerSecond)}::float8[],
            ${measured.map((item) => JSON.stringify(Object.fromEntries(item.lag!.map((p) => [partitionKey(p.topic, p.partition), p.lag]))))}::text[],
            ${measured.map((item) => JSON.stringify(Object.fromEntries(item.lag!.map((p) => [partitionKey(p.topic, p.partition), p.committedOffset]))))}::text[])
            AS v (id, lag, rows, bytes, rate, byte_rate, partition_lag, partition_offsets)
          JOIN "Connector" c ON c.id = v.id`,
      ]);
    });
  }

  /** Increments per minute; the example kept is the first one seen in that minute. */
  private async writeConversions(): Promise<void> {
    const pending = [...this.pendingConversions.values()];
    this.pendingConversions.clear();
    for (const item of pending) {
      await this.db.$executeRaw`
        INSERT INTO "ConversionIssue" ("connectorId", "minute", "table", "column", "kind", "columnType", "count", "checked", "exampleTopic", "examplePartition", "exampleOffset", "exampleValue")
        VALUES (${item.connectorId}::uuid, ${item.minute}, ${item.table}, ${item.column}, ${item.kind}, ${item.columnType}, ${item.count}, ${item.checked}, ${item.example.topic}, ${item.example.partition}, ${item.example.offset}, ${item.example.value})
        ON CONFLICT ("connectorId", "minute", "table", "column", "kind") DO UPDATE SET "count" = "ConversionIssue"."count" + EXCLUDED."count", "checked" = "ConversionIssue"."checked" + EXCLUDED."checked"`.catch((error: Error) => {
        // A connector deleted meanwhile (foreign key): its findings go with it.
        this.log(`connector ${item.connectorId}: conversion counts not written — ${error.message}`);
      });
    }
  }

  private async writeErrors(): Promise<void> {
    const batch = this.pendingErrors.splice(0, MAX_ERRORS_PER_CYCLE);
    const retries = [...this.pendingRetries.values()];
    this.pendingRetries.clear();
    if (batch.length === 0 && retries.length === 0) return;
    const fresh = await this.firstSightings(batch).catch((error: Error) => {
      this.log(`record errors not checked for replays — ${error.message}`);
      return batch;
    });
    await this.db.connectorError
      .createMany({
        data: [
          ...fresh.map((error) => ({
            connectorId: error.connectorId,
            kind: error.kind,
            message: error.message,
            topic: error.topic,
            partition: error.partition,
            offset: BigInt(error.offset),
            preview: error.preview,
          })),
          ...retries.map(({ count, last }) => ({
            connectorId: last.connectorId,
            kind: 'target-retry',
            message: count === 1 ? `Write retried — ${last.message}` : `Write retried ${count} times — last: ${last.message}`,
            topic: last.topic,
            partition: last.partition,
            offset: BigInt(last.offset),
            preview: last.preview,
          })),
        ],
      })
      .catch((error: Error) => this.log(`record errors not written — ${error.message}`));
    const skipped = new Map<string, number>();
    for (const error of fresh.filter(isSkip)) skipped.set(error.connectorId, (skipped.get(error.connectorId) ?? 0) + 1);
    for (const [connectorId, count] of skipped) {
      await this.db.connectorStatus
        .updateMany({ where: { connectorId }, data: { recordsSkipped: { increment: count } } })
        .catch((error: Error) => this.log(`connector ${connectorId}: skipped count not written — ${error.message}`));
    }
  }

  /**
   * The record errors not yet recorded: a restart replays from the last commit, so the same
   * record fails or is skipped again. Those are listed and counted once; the row already there
   * only takes the new time, so the list still shows it as recent.
   */
  private async firstSightings(batch: RecordError[]): Promise<RecordError[]> {
    const key = (error: { connectorId: string; kind: string; topic: string | null; partition: number | null; offset: bigint | number | null }) =>
      `${error.connectorId}|${error.kind}|${error.topic}|${error.partition}|${error.offset}`;
    const unique = [...new Map(batch.map((error) => [key(error), error])).values()];
    if (unique.length === 0) return [];
    const seen = await this.db.connectorError.findMany({
      where: { OR: unique.map((error) => ({ connectorId: error.connectorId, kind: error.kind, topic: error.topic, partition: error.partition, offset: BigInt(error.offset) })) },
      select: { id: true, connectorId: true, kind: true, topic: true, partition: true, offset: true },
    });
    if (seen.length > 0) await this.db.connectorError.updateMany({ where: { id: { in: seen.map((row) => row.id) } }, data: { at: new Date() } });
    const known = new Set(seen.map(key));
    return unique.filter((error) => !known.has(key(error)));
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
      counters = { rows: 0, bytes: 0, skipped: 0, duplicates: 0, possibleDuplicates: 0, lastPath: null, byPartition: new Map() };
      this.counters.set(connectorId, counters);
    }
    return counters;
  }
}
