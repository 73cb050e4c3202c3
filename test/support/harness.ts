import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client as KustoClient } from 'azure-kusto-data';
import { Kafka, logLevel, Partitioners, type Message } from 'kafkajs';
import pg from 'pg';
import { inject } from 'vitest';
import { createApiToken } from '../../lib/auth/api-tokens';
import type { TRole } from '../../lib/auth/roles';
import { createSession } from '../../lib/auth/sessions';
import { createKafkaConnection, createKustoConnection } from '../../lib/connections/save-connections';
import { createPrisma, type Db } from '../../lib/db/prisma';
import { startKustoEngine } from '../../engine/server';
import { Supervisor } from '../../worker/supervisor';
import { databaseUrl } from './global-setup';
import { actAs } from './route-requests';

export interface TestDatabase {
  url: string;
  db: Db;
  drop(): Promise<void>;
}

/** A fresh database per test file, cloned from the migrated template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject('adminDatabaseUrl');
  const name = `kastor_test_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${inject('templateDatabase')}`);
  await admin.end();
  const url = databaseUrl(adminUrl, name);
  const db = createPrisma(url);
  return {
    url,
    db,
    async drop() {
      await db.$disconnect();
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

export interface TestEngine {
  url: string;
  dataDir: string;
  close(): Promise<void>;
  /** Restart on the same data folder and port; `downForMs` keeps it down that long in between. */
  restart(downForMs?: number): Promise<void>;
}

export async function startTestEngine(): Promise<TestEngine> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'kastor-engine-'));
  const storageConnectionString = inject('storageConnectionString');
  let engine = await startKustoEngine({ dataDir, port: 0, storageConnectionString });
  const port = engine.port;
  return {
    get url() {
      return engine.url;
    },
    dataDir,
    async close() {
      await engine.close();
      await rm(dataDir, { recursive: true, force: true });
    },
    async restart(downForMs = 0) {
      await engine.close();
      if (downForMs > 0) await new Promise((resolve) => setTimeout(resolve, downForMs));
      engine = await startKustoEngine({ dataDir, port, storageConnectionString });
    },
  };
}

export function secretKey(): string {
  return inject('secretKey');
}

/** This run's scratch folder (service data, stacks) and `logs/` inside it. */
export function runDir(): string {
  return inject('runDir');
}

export function kafkaBrokers(): string[] {
  return inject('kafkaBrokers');
}

export function testKafka(): Kafka {
  return new Kafka({ clientId: 'kastor-test', brokers: kafkaBrokers(), logLevel: logLevel.NOTHING });
}

export async function createTopic(topic: string, partitions: number): Promise<void> {
  const admin = testKafka().admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}

export async function produce(topic: string, messages: Message[]): Promise<void> {
  const producer = testKafka().producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    for (let i = 0; i < messages.length; i += 1000) {
      await producer.send({ topic, messages: messages.slice(i, i + 1000) });
    }
  } finally {
    await producer.disconnect();
  }
}

export function uniqueName(prefix: string): string {
  return `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 8)}`;
}

export async function seedConnections(db: Db, engineUrl: string) {
  const kafka = await createKafkaConnection(db, { name: 'test-kafka', brokers: kafkaBrokers() }, secretKey());
  const kusto = await createKustoConnection(db, { name: 'test-kusto', clusterUrl: engineUrl }, secretKey());
  return { kafkaConnectionId: kafka.id, kustoConnectionId: kusto.id };
}

export function startSupervisor(database: TestDatabase, workerId = 'test'): Supervisor {
  return new Supervisor({
    db: database.db,
    databaseUrl: database.url,
    secretKey: secretKey(),
    workerId,
    pollIntervalMs: 1_000,
    metricsIntervalMs: 500,
    metricsRetentionHours: 24,
    log: () => undefined,
  });
}

export async function kustoCount(engineUrl: string, database: string, table: string): Promise<number> {
  const client = new KustoClient(engineUrl);
  try {
    const response = await client.execute(database, `['${table}'] | count`);
    return Number(response.primaryResults[0].toJSON<{ Count: number }>().data[0].Count);
  } finally {
    client.close();
  }
}

/** The management commands the engine ran in `database` (its `.show commands`) that start with `prefix`. */
export async function kustoCommandsLike(engineUrl: string, database: string, prefix: string): Promise<string[]> {
  const client = new KustoClient(engineUrl);
  try {
    const rows = (await client.executeMgmt(database, '.show commands')).primaryResults[0].toJSON<{ Text: string; Database: string }>().data;
    return rows.filter((row) => row.Database === database && row.Text.startsWith(prefix)).map((row) => row.Text);
  } finally {
    client.close();
  }
}

/** Polls until `check` stops throwing; its last error explains a timeout. */
export async function waitFor<T>(check: () => Promise<T>, { timeoutMs = 30_000, intervalMs = 200 } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}

export interface PipelineWorld {
  database: TestDatabase;
  engine: TestEngine;
  ids: { kafkaConnectionId: string; kustoConnectionId: string };
  supervisor: Supervisor;
  close(): Promise<void>;
}

/** An API token of each role, as an admin would create them. */
export async function roleTokens(db: Db): Promise<Record<TRole, string>> {
  const make = async (role: TRole) => (await createApiToken(db, { name: `test ${role.toLowerCase()}`, role }, 'test setup')).token;
  return { VIEWER: await make('VIEWER'), OPERATOR: await make('OPERATOR'), ADMIN: await make('ADMIN') };
}

/** A browser session of a user with `role`, as the sign-in callback makes it; the cookie's value. */
export async function roleSession(db: Db, role: TRole): Promise<string> {
  const login = role.toLowerCase();
  return (await createSession(db, { subject: `test-${login}`, name: `Test ${login}`, email: `${login}@kastor.test`, role }, 3_600_000)).token;
}

/**
 * Points the route handlers (which read their environment on first use) at this database, lets
 * them reach the run's Kafka and any engine on loopback, and makes an admin token the default
 * caller of `jsonRequest`. Returns a token of each role.
 */
export async function useWebRoutes(database: TestDatabase, env: Record<string, string> = {}): Promise<Record<TRole, string>> {
  process.env.DATABASE_URL = database.url;
  process.env.KASTOR_SECRET_KEY = secretKey();
  // The run's broker by its loopback address, and any broker named by a host name (the tests' example.com ones).
  process.env.KASTOR_KAFKA_ALLOWED_BROKERS = [...kafkaBrokers(), '*'].join(',');
  process.env.KASTOR_KUSTO_ALLOWED_URLS = 'http://127.0.0.1:*';
  Object.assign(process.env, env);
  const tokens = await roleTokens(database.db);
  actAs(tokens.ADMIN);
  return tokens;
}

/**
 * A test file's own control plane and target: a fresh database, an engine, the two connections
 * and an in-process worker, with the route handlers pointed at them (useWebRoutes).
 */
export async function startPipelineWorld(): Promise<PipelineWorld> {
  const database = await createTestDatabase();
  await useWebRoutes(database);
  const engine = await startTestEngine();
  const ids = await seedConnections(database.db, engine.url);
  const supervisor = startSupervisor(database);
  await supervisor.start();
  return {
    database,
    engine,
    ids,
    supervisor,
    async close() {
      await supervisor.stop();
      await engine.close();
      await database.drop();
    },
  };
}
