import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { createKafkaConnection, createKustoConnection } from '../lib/connections/save-connections';
import { applyMigrations } from '../lib/db/apply-migrations';
import { createPrisma, type Db } from '../lib/db/prisma';
import { startNodeService, type NodeService } from '../scripts/node-service';
import { startAzurite } from '../services/azurite';
import { ensureKafkaJars, startKafka } from '../services/kafka';
import { startPostgres } from '../services/postgres';
import { buildWorker, WORKER_BUNDLE, WORKER_PROCESS_ENV } from '../scripts/build-worker';
import { findChildPid } from './process-usage';

const root = path.resolve(import.meta.dirname, '..');

/** The services every phase shares: one Postgres, one broker, one Azurite. */
export interface BenchStack {
  db: Db;
  databaseUrl: string;
  secretKey: string;
  brokers: string[];
  kafka: Kafka;
  storageConnectionString: string;
  runDir: string;
  stop(): Promise<void>;
}

export interface BenchProcess {
  service: NodeService;
  pid: number;
}

export interface BenchEngine extends BenchProcess {
  url: string;
}

type Stop = { name: string; stop: () => Promise<void> };

/** Stops in reverse start order; a failure to stop one does not keep the others running. */
async function stopAll(stops: Stop[], log: (message: string) => void): Promise<void> {
  for (const { name, stop } of [...stops].reverse()) {
    await stop().catch((error: Error) => log(`✗ ${name} did not stop cleanly: ${error.message}`));
  }
}

export async function startBenchStack(runDir: string, log: (message: string) => void): Promise<BenchStack> {
  const stops: Stop[] = [];
  try {
    const postgres = await startPostgres({ dataDir: path.join(runDir, 'postgres') });
    stops.push({ name: 'Postgres', stop: postgres.stop });
    await applyMigrations(postgres.url);
    await ensureKafkaJars({ onProgress: log });
    const broker = await startKafka({ dataDir: path.join(runDir, 'kafka') });
    stops.push({ name: 'Kafka', stop: broker.stop });
    const azurite = await startAzurite({ dataDir: path.join(runDir, 'azurite'), inMemory: true });
    stops.push({ name: 'Azurite', stop: azurite.stop });
    const db = createPrisma(postgres.url);
    stops.push({ name: 'Prisma', stop: () => db.$disconnect() });
    return {
      db,
      databaseUrl: postgres.url,
      secretKey: randomBytes(32).toString('base64'),
      brokers: broker.brokers,
      kafka: new Kafka({ clientId: 'kastor-bench', brokers: broker.brokers, logLevel: logLevel.NOTHING }),
      storageConnectionString: azurite.connectionString,
      runDir,
      stop: () => stopAll(stops, log),
    };
  } catch (error) {
    await stopAll(stops, log);
    throw error;
  }
}

/** A fresh engine process with its own data folder, playing the Data Management role over the shared Azurite. */
export async function startEngine(stack: BenchStack, phase: string): Promise<BenchEngine> {
  const dataDir = path.join(stack.runDir, `engine-${phase}`);
  const service = await startNodeService({
    name: `engine (${phase})`,
    script: path.join(root, 'engine/main.ts'),
    args: ['--data', dataDir, '--port', '0'],
    // The storage key stays off the process list, as engine/main.ts asks.
    env: { AZURE_STORAGE_CONNECTION_STRING: stack.storageConnectionString, ...(process.env.BENCH_ENGINE_NODE_OPTIONS && { NODE_OPTIONS: process.env.BENCH_ENGINE_NODE_OPTIONS }) },
    logFile: path.join(stack.runDir, 'logs', `engine-${phase}.log`),
    readyLine: /kusto engine listening on (\S+)/,
  });
  return { service, pid: findChildPid(dataDir), url: service.readyMatch![1] };
}

/** A fresh worker process (the bundle of worker/main.ts); only one runs at a time, so it is found by its script. */
export async function startWorker(stack: BenchStack, phase: string): Promise<BenchProcess> {
  const service = await startNodeService({
    name: `worker (${phase})`,
    script: await buildWorker(),
    env: {
      ...WORKER_PROCESS_ENV,
      DATABASE_URL: stack.databaseUrl,
      KASTOR_SECRET_KEY: stack.secretKey,
      KASTOR_WORKER_ID: `bench-${phase}`,
      KASTOR_POLL_INTERVAL_MS: '1000',
      KASTOR_METRICS_INTERVAL_MS: '1000',
      ...(process.env.BENCH_WORKER_NODE_OPTIONS && { NODE_OPTIONS: process.env.BENCH_WORKER_NODE_OPTIONS }),
    },
    logFile: path.join(stack.runDir, 'logs', `worker-${phase}.log`),
    readyLine: /started/,
  });
  return { service, pid: findChildPid(path.relative(root, WORKER_BUNDLE)) };
}

/** Connections for one phase's target; named after the phase because names are unique. */
export async function createConnections(stack: BenchStack, phase: string, clusterUrl: string): Promise<{ kafkaConnectionId: string; kustoConnectionId: string }> {
  const kafka = await createKafkaConnection(stack.db, { name: `kafka-${phase}`, brokers: stack.brokers }, stack.secretKey);
  const kusto = await createKustoConnection(stack.db, { name: `kusto-${phase}`, clusterUrl }, stack.secretKey);
  return { kafkaConnectionId: kafka.id, kustoConnectionId: kusto.id };
}

/**
 * Removes every connector once the phase's worker has stopped, so the next phase's worker starts
 * with none (their status, metrics and queued batches go with them).
 */
export async function removeConnectors(db: Db): Promise<void> {
  await db.connector.deleteMany({});
}

export async function createTopics(kafka: Kafka, topics: string[], partitions: number): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: topics.map((topic) => ({ topic, numPartitions: partitions })), waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}

/** Messages in the topics (sum of log-end offsets): what a phase should find in its target, retried sends included. */
export async function messagesIn(kafka: Kafka, topics: string[]): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    let total = 0;
    for (const topic of topics) for (const partition of await admin.fetchTopicOffsets(topic)) total += Number(partition.high);
    return total;
  } finally {
    await admin.disconnect();
  }
}
