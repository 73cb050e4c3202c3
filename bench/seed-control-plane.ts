import { Partitioners, type Kafka } from 'kafkajs';
import { consumerGroupId } from '../lib/connectors/connector-definition';
import { createConnector } from '../lib/connectors/save-connector';
import type { Db } from '../lib/db/prisma';
import { gameplayConnectorDefinition, randomGameplayEvent, toKafkaMessage } from '../lib/demo/gameplay';
import { createConnections, createTopics, type BenchStack } from './bench-stack';

export interface ControlPlaneSize {
  connectors: number;
  /** Partitions of every topic, so of every connector. */
  partitions: number;
  /** Topics the connectors share (connector i reads topic i mod topics). */
  topics: number;
  /** Metric samples of history per connector: a running system's charts and health window. */
  samples: number;
}

export interface SeededControlPlane {
  connectorIds: string[];
  /** The worker whose shares and leases the connectors have. */
  workerId: string;
  topicOf: Map<string, string>;
  seedSeconds: number;
}

/** Records per partition; enough that committed offsets and lag are real numbers. */
const RECORDS_PER_PARTITION = 50;
/** Every LAGGING_EVERY-th connector has uncommitted records, so lag and its age are read from Kafka. */
const LAGGING_EVERY = 10;
const LAG_RECORDS = 20;
const PARALLEL = 8;

async function inBatches<T>(items: T[], size: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  for (let start = 0; start < items.length; start += size) {
    await Promise.all(items.slice(start, start + size).map((item, offset) => work(item, start + offset)));
  }
}

/**
 * What a running system of `size.connectors` connectors leaves in Postgres and Kafka: topics with
 * records and each connector's committed offsets; connectors saved through the product's own
 * path (revision, status, audit entry), RUNNING on one worker that holds their shares; their
 * per-partition metrics, a pause and resume in the audit, `size.samples` samples of history each,
 * and one global alert rule, which every lag cycle evaluates for every connector.
 */
export async function seedControlPlane(stack: BenchStack, size: ControlPlaneSize, log: (message: string) => void): Promise<SeededControlPlane> {
  const started = performance.now();
  const { db } = stack;
  const topics = Array.from({ length: size.topics }, (_, index) => `bench-control-plane-${index}`);
  await createTopics(stack.kafka, topics, size.partitions);
  const producer = stack.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    for (const topic of topics) {
      const messages = Array.from({ length: size.partitions * RECORDS_PER_PARTITION }, (_, index) => ({ ...toKafkaMessage(randomGameplayEvent()), partition: index % size.partitions }));
      await producer.send({ topic, messages });
    }
  } finally {
    await producer.disconnect();
  }

  log(`  seeding ${size.connectors.toLocaleString('en-US')} connectors…`);
  const ids = await createConnections(stack, 'control-plane', 'https://bench.westeurope.kusto.windows.net');
  const connectorIds: string[] = new Array(size.connectors);
  const topicOf = new Map<string, string>();
  await inBatches(
    Array.from({ length: size.connectors }, (_, index) => index),
    PARALLEL,
    async (index) => {
      const topic = topics[index % topics.length];
      const connector = await createConnector(db, gameplayConnectorDefinition(ids, { name: `control-plane-${String(index).padStart(4, '0')}`, source: { topics: [topic], startFrom: 'earliest' } }), 'bench');
      connectorIds[index] = connector.id;
      topicOf.set(connector.id, topic);
    },
  );

  const workerId = 'bench-control-plane';
  await db.worker.create({ data: { id: workerId, hostname: 'bench', pid: process.pid, startedAt: new Date(), heartbeatAt: new Date() } });
  await db.$executeRaw`
    UPDATE "ConnectorStatus" SET "actualState" = 'RUNNING', "appliedRevision" = 1, "workerId" = ${workerId},
      "rowsWritten" = ${size.partitions * RECORDS_PER_PARTITION}, "bytesWritten" = ${size.partitions * RECORDS_PER_PARTITION * 90}, "rowsPerSecond" = 12.5,
      "lastIngestionPath" = 'streaming', "updatedAt" = now()`;
  await db.$executeRaw`
    INSERT INTO "ConnectorAssignment" ("connectorId", "workerId", "state", "revision", "partitions", "updatedAt")
    SELECT c.id, ${workerId}, 'RUNNING', 1,
      (SELECT jsonb_agg(jsonb_build_object('topic', c.definition->'source'->'topics'->>0, 'partition', p)) FROM generate_series(0, ${size.partitions - 1}) AS p), now()
    FROM "Connector" c`;
  await db.$executeRaw`
    INSERT INTO "PartitionMetric" ("connectorId", "topic", "partition", "committedOffset", "logEndOffset", "lag", "rowsWritten", "bytesWritten", "lastWrittenOffset", "lastSentOffset", "updatedAt")
    SELECT c.id, c.definition->'source'->'topics'->>0, p, ${RECORDS_PER_PARTITION}, ${RECORDS_PER_PARTITION}, 0, ${RECORDS_PER_PARTITION}, ${RECORDS_PER_PARTITION * 90}, ${RECORDS_PER_PARTITION - 1}, ${RECORDS_PER_PARTITION - 1}, now()
    FROM "Connector" c CROSS JOIN generate_series(0, ${size.partitions - 1}) AS p`;
  // One sample a second back from now, as the worker writes them; lag wanders between 0 and 40 per partition.
  await db.$executeRaw`
    INSERT INTO "MetricSample" ("connectorId", "at", "totalLag", "rowsWritten", "bytesWritten", "rowsPerSecond", "bytesPerSecond", "partitionLag", "partitionOffsets")
    SELECT c.id, now() - s * interval '1 second', (s % 40) * ${size.partitions}, 10000 - s, (10000 - s) * 90, 12.5, 1125,
      (SELECT jsonb_object_agg(concat(c.definition->'source'->'topics'->>0, '/', p), s % 40) FROM generate_series(0, ${size.partitions - 1}) AS p),
      (SELECT jsonb_object_agg(concat(c.definition->'source'->'topics'->>0, '/', p), 1000 - s) FROM generate_series(0, ${size.partitions - 1}) AS p)
    FROM "Connector" c CROSS JOIN generate_series(1, ${size.samples}) AS s`;
  await db.$executeRaw`
    INSERT INTO "AuditEvent" ("connectorId", "at", "action", "actor", "actorKind")
    SELECT c.id, now() - change.hours * interval '1 hour', change.action, 'bench', 'SYSTEM'::"ActorKind"
    FROM "Connector" c CROSS JOIN (VALUES (2, 'pause'), (1, 'resume')) AS change (hours, action)`;
  await db.alertRule.create({
    data: { name: 'control-plane: stalled', condition: 'HEALTH', healthStatuses: ['STALL', 'STOP', 'ERROR'], forMinutes: 5, webhookUrlEnc: 'unused', webhookOrigin: 'https://hooks.example.com' },
  });
  await db.$executeRaw`ANALYZE`;

  log(`  committing consumer offsets (connectors seeded in ${((performance.now() - started) / 1000).toFixed(0)} s)…`);
  await commitOffsets(stack.kafka, connectorIds, topicOf, size.partitions);
  return { connectorIds, workerId, topicOf, seedSeconds: (performance.now() - started) / 1000 };
}

/** Each connector's group at the topic's end, but every LAGGING_EVERY-th some records behind. */
async function commitOffsets(kafka: Kafka, connectorIds: string[], topicOf: Map<string, string>, partitions: number): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await inBatches(connectorIds, 4 * PARALLEL, async (id, index) => {
      const behind = index % LAGGING_EVERY === 0 ? LAG_RECORDS : 0;
      await admin.setOffsets({
        groupId: consumerGroupId(id),
        topic: topicOf.get(id)!,
        partitions: Array.from({ length: partitions }, (_, partition) => ({ partition, offset: String(RECORDS_PER_PARTITION - behind) })),
      });
    });
  } finally {
    await admin.disconnect();
  }
}
