import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client as KustoClient } from 'azure-kusto-data';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { createKafkaConnection, createKustoConnection } from '../lib/connections/save-connections';
import { createConnector } from '../lib/connectors/save-connector';
import { applyMigrations } from '../lib/db/apply-migrations';
import { createPrisma } from '../lib/db/prisma';
import { gameplayConnectorDefinition, randomGameplayEvent, toKafkaMessage } from '../lib/demo/gameplay';
import { startKustoEngine } from '../engine/server';
import { ensureKafkaJars, startKafka } from '../services/kafka';
import { startPostgres } from '../services/postgres';
import { Supervisor } from '../worker/supervisor';

/**
 * End-to-end ingestion throughput on real services: N gameplay events already in a 4-partition
 * topic, one worker, the local engine as target. Reports the time from connector creation until
 * `GamePlay | count` reaches N.
 */
const EVENTS = Number(process.env.BENCH_EVENTS ?? 200_000);
const scratch = await mkdtemp(path.join(process.cwd(), '.data/bench-'));

const postgres = await startPostgres({ dataDir: path.join(scratch, 'postgres') });
await applyMigrations(postgres.url);
await ensureKafkaJars();
const kafka = await startKafka({ dataDir: path.join(scratch, 'kafka') });
const engine = await startKustoEngine({ dataDir: path.join(scratch, 'kusto'), port: 0 });
const db = createPrisma(postgres.url);
const secretKey = randomBytes(32).toString('base64');
const supervisor = new Supervisor({
  db,
  databaseUrl: postgres.url,
  secretKey,
  workerId: 'bench',
  pollIntervalMs: 1000,
  metricsIntervalMs: 1000,
  metricsRetentionHours: 1,
  log: () => undefined,
});
const kusto = new KustoClient(engine.url);

try {
  const client = new Kafka({ clientId: 'bench', brokers: kafka.brokers, logLevel: logLevel.NOTHING });
  const admin = client.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: 'gameplay', numPartitions: 4 }], waitForLeaders: true });
  await admin.disconnect();
  const producer = client.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const produceStarted = Date.now();
  for (let sent = 0; sent < EVENTS; sent += 5_000) {
    const count = Math.min(5_000, EVENTS - sent);
    await producer.send({ topic: 'gameplay', messages: Array.from({ length: count }, () => toKafkaMessage(randomGameplayEvent())) });
  }
  await producer.disconnect();
  const produceSeconds = (Date.now() - produceStarted) / 1000;

  const kafkaConnection = await createKafkaConnection(db, { name: 'bench', brokers: kafka.brokers }, secretKey);
  const kustoConnection = await createKustoConnection(db, { name: 'bench', clusterUrl: engine.url }, secretKey);
  await supervisor.start();
  const started = Date.now();
  await createConnector(db, gameplayConnectorDefinition({ kafkaConnectionId: kafkaConnection.id, kustoConnectionId: kustoConnection.id }), 'bench');
  let landed = 0;
  while (landed < EVENTS) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const response = await kusto.execute('gamesdb', 'GamePlay | count');
    landed = Number(response.primaryResults[0].toJSON<{ Count: number }>().data[0].Count);
  }
  const seconds = (Date.now() - started) / 1000;
  console.log(`produced ${EVENTS} events in ${produceSeconds.toFixed(1)} s`);
  console.log(`ingested ${EVENTS} events in ${seconds.toFixed(1)} s: ${Math.round(EVENTS / seconds)} rows/s (one worker, 4 partitions, local engine, flush 5,000 records / 1 MiB / 500 ms)`);
} finally {
  kusto.close();
  await supervisor.stop();
  await db.$disconnect();
  await engine.close();
  await kafka.stop();
  await postgres.stop();
  await rm(scratch, { recursive: true, force: true });
}
