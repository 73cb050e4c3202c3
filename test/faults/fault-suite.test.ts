import { mkdir } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Client as KustoClient } from 'azure-kusto-data';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createKafkaConnection, createKustoConnection } from '../../lib/connections/save-connections';
import { consumerGroupId, type TConnectorDefinitionInput } from '../../lib/connectors/connector-definition';
import { applyLifecycleAction } from '../../lib/connectors/lifecycle';
import { getConnector, listConnectorErrors } from '../../lib/connectors/read-connectors';
import { createConnector } from '../../lib/connectors/save-connector';
import { applyMigrations } from '../../lib/db/apply-migrations';
import { createPrisma, type Db } from '../../lib/db/prisma';
import { WORKER_BUNDLE, WORKER_PROCESS_ENV } from '../../scripts/build-worker';
import { startNodeService, type NodeService } from '../../scripts/node-service';
import { startAzurite, type RunningAzurite } from '../../services/azurite';
import { findFreePorts } from '../../services/free-port';
import { startKafka, type RunningKafka } from '../../services/kafka';
import { startPostgres, type RunningPostgres } from '../../services/postgres';

/**
 * Faults and scale-out, end to end on real processes: three workers, their own Postgres, Kafka
 * broker, Azurite and engine, so each can be killed or restarted. Every trial checks that every
 * event id is in the target; exactly-once trials also that none is there twice.
 *
 * `npm run faults` runs the full trials (20 × 200,000 events, 60 s outages); `npm test` runs
 * the same code reduced (FAULT_* variables override each size).
 */
const FULL = process.env.KASTOR_FAULTS === 'full';
const TRIALS = Number(process.env.FAULT_TRIALS ?? (FULL ? 20 : 4));
const EVENTS = Number(process.env.FAULT_EVENTS ?? (FULL ? 200_000 : 20_000));
const OUTAGE_MS = Number(process.env.FAULT_OUTAGE_MS ?? (FULL ? 60_000 : 8_000));
/** Longer than the consumer's 15 s session timeout: a member that stopped heartbeating would be evicted. */
const THROTTLE_MS = Number(process.env.FAULT_THROTTLE_MS ?? (FULL ? 30_000 : 20_000));
const WORKERS = ['fault-a', 'fault-b', 'fault-c'];
const root = path.resolve(import.meta.dirname, '../..');
const secretKey = inject('secretKey');

interface Services {
  dir: string;
  postgres: RunningPostgres;
  kafka: RunningKafka;
  azurite: RunningAzurite;
  engine: NodeService;
  enginePort: number;
  proxy: ThrottlingProxy;
  db: Db;
  workers: Map<string, NodeService>;
  ids: { kafkaConnectionId: string; kustoConnectionId: string };
}

let services: Services;
const report: string[] = [];

/**
 * A pass-through HTTP proxy in front of the engine that, while throttling, answers ingestion
 * requests the way a throttled ADX cluster does: 429 with a Kusto error body.
 */
interface ThrottlingProxy {
  url: string;
  throttling: boolean;
  throttled: number;
  close(): Promise<void>;
}

async function startThrottlingProxy(target: () => number): Promise<ThrottlingProxy> {
  const state = { throttling: false, throttled: 0 };
  const server = http.createServer((request, response) => {
    if (state.throttling && request.url?.startsWith('/v1/rest/ingest/')) {
      state.throttled += 1;
      request.resume();
      response.writeHead(429, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ error: { code: 'General_ThrottlingException', message: 'Request is throttled', '@message': 'The request was throttled by the cluster', '@permanent': false } }));
      return;
    }
    const upstream = http.request({ host: '127.0.0.1', port: target(), path: request.url, method: request.method, headers: request.headers }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    });
    upstream.on('error', () => {
      // The engine is down: the client sees a refused connection, as it would without the proxy.
      request.socket.destroy();
    });
    request.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get throttling() {
      return state.throttling;
    },
    set throttling(value: boolean) {
      state.throttling = value;
    },
    get throttled() {
      return state.throttled;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function startEngine(dir: string, port: number, storage: string): Promise<NodeService> {
  return startNodeService({
    name: 'engine',
    script: path.join(root, 'engine/main.ts'),
    args: ['--data', path.join(dir, 'kusto'), '--port', String(port)],
    env: { AZURE_STORAGE_CONNECTION_STRING: storage },
    logFile: path.join(dir, 'logs/engine.log'),
    readyLine: /listening/,
  });
}

async function startWorker(id: string): Promise<NodeService> {
  const worker = await startNodeService({
    name: `worker ${id}`,
    script: WORKER_BUNDLE,
    env: { ...WORKER_PROCESS_ENV, DATABASE_URL: services.postgres.url, KASTOR_SECRET_KEY: secretKey, KASTOR_WORKER_ID: id, KASTOR_POLL_INTERVAL_MS: '500', KASTOR_METRICS_INTERVAL_MS: '500' },
    logFile: path.join(services.dir, `logs/${id}.log`),
    readyLine: /started/,
  });
  services.workers.set(id, worker);
  return worker;
}

function kafkaClient(): Kafka {
  return new Kafka({ clientId: 'fault-suite', brokers: services.kafka.brokers, logLevel: logLevel.NOTHING });
}

beforeAll(async () => {
  const dir = path.join(inject('runDir'), 'faults');
  await mkdir(path.join(dir, 'logs'), { recursive: true });
  const [postgresPort, kafkaPort, blob, queue, table, enginePort] = await findFreePorts(6);
  const postgres = await startPostgres({ dataDir: path.join(dir, 'postgres'), port: postgresPort });
  await applyMigrations(postgres.url);
  const kafka = await startKafka({ dataDir: path.join(dir, 'kafka'), port: kafkaPort });
  // Persisted, so the engine's queues and blobs survive an Azurite restart.
  const azurite = await startAzurite({ dataDir: path.join(dir, 'azurite'), inMemory: false, ports: { blob, queue, table } });
  const engine = await startEngine(dir, enginePort, azurite.connectionString);
  const proxy = await startThrottlingProxy(() => enginePort);
  const db = createPrisma(postgres.url);
  const kafkaConnection = await createKafkaConnection(db, { name: 'fault-kafka', brokers: kafka.brokers }, secretKey);
  const kustoConnection = await createKustoConnection(db, { name: 'fault-kusto', clusterUrl: proxy.url }, secretKey);
  services = { dir, postgres, kafka, azurite, engine, enginePort, proxy, db, workers: new Map(), ids: { kafkaConnectionId: kafkaConnection.id, kustoConnectionId: kustoConnection.id } };
  for (const id of WORKERS) await startWorker(id);
}, 300_000);

afterAll(async () => {
  if (report.length) console.log(`fault suite (${FULL ? 'full' : 'reduced'}):\n${report.join('\n')}`);
  if (!services) return;
  for (const worker of services.workers.values()) await worker.stop().catch(() => undefined);
  await services.db.$disconnect();
  await services.proxy.close();
  await services.engine.stop();
  await services.azurite.stop();
  await services.kafka.stop();
  await services.postgres.stop();
}, 120_000);

type Mode = 'at-least-once streaming' | 'exactly-once streaming' | 'at-least-once queued' | 'exactly-once queued';

async function connectorFor(name: string, topic: string, mode: Mode): Promise<string> {
  const exactlyOnce = mode.startsWith('exactly-once');
  const definition: TConnectorDefinitionInput = {
    name,
    ...services.ids,
    source: { topics: [topic], startFrom: 'earliest' },
    format: 'json',
    target: {
      database: 'faults',
      table: name.replace(/-/g, '_'),
      mappingName: 'events_json',
      columns: [
        { name: 'Id', type: 'long', path: '$.id' },
        ...(exactlyOnce
          ? ([
              { name: 'KafkaPartition', type: 'int', path: '$.__kafka.partition' },
              { name: 'KafkaOffset', type: 'long', path: '$.__kafka.offset' },
            ] as const)
          : []),
      ],
    },
    ingestion: mode.endsWith('queued') ? { mode: 'queued', batching: { maxBatchingTimeSpan: '00:00:10', maxItems: 20, maxRawDataSizeMb: 100 } } : { mode: 'streaming' },
    flush: { maxRecords: 2_000, maxBytes: 1024 * 1024, maxAgeMs: 300 },
    delivery: exactlyOnce ? 'exactly-once' : 'at-least-once',
  };
  return (await createConnector(services.db, definition, 'fault-suite')).id;
}

async function createTopic(topic: string, partitions: number): Promise<void> {
  const admin = kafkaClient().admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}

/** Produces ids [from, to) in chunks spread over `seconds`. */
async function produceRange(topic: string, from: number, to: number, seconds: number): Promise<void> {
  // Idempotent: a retried send must not put a second copy in the topic, or the counts below would blame the sink.
  const producer = kafkaClient().producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true, maxInFlightRequests: 1, retry: { retries: 30 } });
  await producer.connect();
  try {
    const chunk = 1_000;
    const pause = (seconds * 1000) / Math.max(1, Math.ceil((to - from) / chunk));
    for (let id = from; id < to; id += chunk) {
      const last = Math.min(to, id + chunk);
      await producer.send({ topic, messages: Array.from({ length: last - id }, (_, i) => ({ key: String((id + i) % 997), value: JSON.stringify({ id: id + i }) })) });
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  } finally {
    await producer.disconnect();
  }
}

async function tally(table: string): Promise<{ total: number; distinct: number }> {
  const client = new KustoClient(`http://127.0.0.1:${services.enginePort}`);
  try {
    const [row] = (await client.execute('faults', `['${table}'] | summarize total = count(), distinct = dcount(Id)`)).primaryResults[0].toJSON<{ total: number; distinct: number }>().data;
    return { total: Number(row.total), distinct: Number(row.distinct) };
  } catch {
    return { total: 0, distinct: 0 };
  } finally {
    client.close();
  }
}

/** Exactly-once is per Kafka record: no (partition, offset) may be in the table twice. */
async function repeatedOffsets(table: string): Promise<number> {
  const client = new KustoClient(`http://127.0.0.1:${services.enginePort}`);
  try {
    const rows = (await client.execute('faults', `['${table}'] | summarize copies = count() by KafkaPartition, KafkaOffset | where copies > 1 | count`)).primaryResults[0].toJSON<{ Count: number }>().data;
    return Number(rows[0]?.Count ?? 0);
  } finally {
    client.close();
  }
}

async function untilAllLanded(table: string, events: number, timeoutMs = 240_000): Promise<{ total: number; distinct: number }> {
  const deadline = Date.now() + timeoutMs;
  let last = { total: 0, distinct: 0 };
  while (Date.now() < deadline) {
    last = await tally(table);
    if (last.distinct >= events) return last;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  throw new Error(`${table}: ${last.distinct} of ${events} ids landed after ${timeoutMs / 1000} s`);
}

async function untilGroupStable(connectorId: string, timeoutMs = 60_000): Promise<void> {
  const admin = kafkaClient().admin();
  await admin.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [group] = (await admin.describeGroups([consumerGroupId(connectorId)])).groups;
      if (group?.state === 'Stable' && group.members.length === WORKERS.length) return;
      if (Date.now() > deadline) throw new Error(`connector ${connectorId}: the group has ${group?.members.length ?? 0} of ${WORKERS.length} members (${group?.state}) after ${timeoutMs / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } finally {
    await admin.disconnect();
  }
}

async function drop(connectorId: string): Promise<void> {
  await applyLifecycleAction(services.db, connectorId, 'delete', 'fault-suite');
}

describe('kill -9 of a random worker of three while events flow', { timeout: 300_000 }, () => {
  const modes: Mode[] = ['at-least-once streaming', 'exactly-once streaming', 'at-least-once queued', 'exactly-once queued'];
  for (let trial = 1; trial <= TRIALS; trial++) {
    const mode = modes[(trial - 1) % modes.length];
    it(`trial ${trial} (${mode}): every event lands${mode.startsWith('exactly') ? ', none twice' : ', duplicates counted'}`, async () => {
      const name = `kill-${trial}`;
      const topic = `fault-kill-${trial}`;
      await createTopic(topic, 12);
      const connectorId = await connectorFor(name, topic, mode);
      const victim = WORKERS[Math.floor(Math.random() * WORKERS.length)];
      const produceSeconds = Math.max(3, EVENTS / 25_000);
      const killAfterMs = 500 + Math.random() * produceSeconds * 1000;
      const producing = produceRange(topic, 0, EVENTS, produceSeconds);
      await new Promise((resolve) => setTimeout(resolve, killAfterMs));
      services.workers.get(victim)!.kill('SIGKILL');
      await services.workers.get(victim)!.exited;
      await startWorker(victim);
      await producing;
      const landed = await untilAllLanded(name.replace(/-/g, '_'), EVENTS);
      const duplicates = landed.total - landed.distinct;
      // Counters reach Postgres with the workers' next metrics cycle.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      const view = await getConnector(services.db, connectorId);
      report.push(`trial ${trial} ${mode}: killed ${victim} at ${(killAfterMs / 1000).toFixed(1)} s, ${landed.distinct}/${EVENTS} ids, ${duplicates} duplicates in the table, ${view.duplicateRows} counted, ${view.possibleDuplicateRows} possible`);
      expect(landed.distinct).toBe(EVENTS);
      if (mode.startsWith('exactly-once')) {
        expect(await repeatedOffsets(name.replace(/-/g, '_'))).toBe(0);
        expect(duplicates).toBe(0);
      }
      else {
        // Rows known written and then replayed are counted; what was in flight when a worker died is counted as possible.
        expect(view.duplicateRows).toBeLessThanOrEqual(duplicates);
        expect(duplicates).toBeLessThanOrEqual(view.duplicateRows + view.possibleDuplicateRows);
      }
      await drop(connectorId);
    });
  }
});

// An outage trial waits for the group, the outage itself and the drain after it.
describe('outages: the pipeline resumes by itself and nothing is lost', { timeout: 300_000 }, () => {
  async function outageTrial(name: string, mode: Mode, outage: () => Promise<void>, during?: (connectorId: string) => Promise<void>) {
    const topic = `fault-${name}`;
    await createTopic(topic, 6);
    const connectorId = await connectorFor(name, topic, mode);
    // Every worker in the group first: rebalances while workers join replay (at-least-once) and would blur what the outage did.
    await untilGroupStable(connectorId);
    const quarter = Math.floor(EVENTS / 4);
    await produceRange(topic, 0, quarter, 1);
    await untilAllLanded(name.replace(/-/g, '_'), quarter);
    await outage();
    await produceRange(topic, quarter, EVENTS, 2);
    await during?.(connectorId);
    const landed = await untilAllLanded(name.replace(/-/g, '_'), EVENTS);
    report.push(`${name} (${mode}): ${landed.distinct}/${EVENTS} ids, ${landed.total - landed.distinct} duplicates`);
    expect(landed.distinct).toBe(EVENTS);
    await drop(connectorId);
    return connectorId;
  }

  it('a broker restart', async () => {
    await outageTrial('broker-restart', 'at-least-once streaming', async () => {
      const port = Number(services.kafka.brokers[0].split(':')[1]);
      await services.kafka.stop();
      services.kafka = await startKafka({ dataDir: path.join(services.dir, 'kafka'), port });
    });
  });

  it(`the target down for ${OUTAGE_MS / 1000} s, shown on the connector while it happens`, async () => {
    let sawRetries = false;
    await outageTrial(
      'engine-down',
      'at-least-once streaming',
      async () => {
        await services.engine.stop();
      },
      async (connectorId) => {
        const until = Date.now() + OUTAGE_MS;
        while (Date.now() < until) {
          const retries = (await listConnectorErrors(services.db, connectorId)).filter((error) => error.kind === 'target-retry');
          if (retries.length > 0) sawRetries = true;
          await new Promise((resolve) => setTimeout(resolve, 500));
        }
        services.engine = await startEngine(services.dir, services.enginePort, services.azurite.connectionString);
      },
    );
    expect(sawRetries).toBe(true);
  });

  it('a Postgres restart', async () => {
    await outageTrial('postgres-restart', 'at-least-once streaming', async () => {
      const { port } = services.postgres;
      await services.postgres.stop();
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      services.postgres = await startPostgres({ dataDir: path.join(services.dir, 'postgres'), port });
    });
  });

  it(`Azurite down for ${OUTAGE_MS / 1000} s under queued ingestion`, async () => {
    await outageTrial(
      'azurite-down',
      'at-least-once queued',
      async () => {
        await services.azurite.stop();
      },
      async () => {
        await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
        services.azurite = await startAzurite({ dataDir: path.join(services.dir, 'azurite'), inMemory: false, ports: services.azurite.ports });
      },
    );
  });

  it(`a target that throttles for ${THROTTLE_MS / 1000} s: no member is evicted, no batch is written twice`, async () => {
    const admin = kafkaClient().admin();
    await admin.connect();
    try {
      let membersBefore: string[] = [];
      const connectorId = await outageTrial(
        'throttled',
        'at-least-once streaming',
        async () => {
          services.proxy.throttling = true;
        },
        async (id) => {
          const group = await admin.describeGroups([consumerGroupId(id)]);
          membersBefore = group.groups[0].members.map((member) => member.memberId).sort();
          await new Promise((resolve) => setTimeout(resolve, THROTTLE_MS));
          const during = await admin.describeGroups([consumerGroupId(id)]);
          expect(during.groups[0].members.map((member) => member.memberId).sort()).toEqual(membersBefore);
          services.proxy.throttling = false;
        },
      );
      expect(services.proxy.throttled).toBeGreaterThan(0);
      expect(membersBefore).toHaveLength(WORKERS.length);
      const [row] = report.slice(-1);
      expect(row).toMatch(/, 0 duplicates$/);
      expect(connectorId).toBeTruthy();
    } finally {
      await admin.disconnect();
    }
  });
});
