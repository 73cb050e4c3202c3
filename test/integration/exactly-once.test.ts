import path from 'node:path';
import { Client as KustoClient } from 'azure-kusto-data';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ZConnectorDefinition, type TConnectorDefinitionInput } from '../../lib/connectors/connector-definition';
import { getConnector } from '../../lib/connectors/read-connectors';
import { createConnector } from '../../lib/connectors/save-connector';
import { startNodeService, type NodeService } from '../../scripts/node-service';
import type { Supervisor } from '../../worker/supervisor';
import {
  createTestDatabase,
  createTopic,
  produce,
  runDir,
  secretKey,
  seedConnections,
  startSupervisor,
  startTestEngine,
  uniqueName,
  waitFor,
  type TestDatabase,
  type TestEngine,
} from '../support/harness';

/**
 * Kafka coordinates stored with the rows: as columns anyone can map, and as the basis of the
 * exactly-once option — no duplicate row after a worker is killed or partitions move.
 */
const root = path.resolve(import.meta.dirname, '../..');
let database: TestDatabase;
let engine: TestEngine;
let ids: { kafkaConnectionId: string; kustoConnectionId: string };
const processes: NodeService[] = [];
const supervisors: Supervisor[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  engine = await startTestEngine();
  ids = await seedConnections(database.db, engine.url);
});

// A worker left running would take the next test's connector too.
afterEach(async () => {
  for (const worker of processes.splice(0)) await worker.stop();
});

afterAll(async () => {
  await Promise.all(supervisors.map((supervisor) => supervisor.stop()));
  await engine?.close();
  await database?.drop();
});

async function rows<T>(dbName: string, csl: string): Promise<T[]> {
  const client = new KustoClient(engine.url);
  try {
    return (await client.execute(dbName, csl)).primaryResults[0].toJSON<T>().data;
  } finally {
    client.close();
  }
}

function eventsConnector(topic: string, dbName: string, overrides: Partial<TConnectorDefinitionInput> = {}): TConnectorDefinitionInput {
  return {
    name: uniqueName('eo').replace(/_/g, '-'),
    ...ids,
    source: { topics: [topic], startFrom: 'earliest' },
    format: 'json',
    target: {
      database: dbName,
      table: 'Events',
      mappingName: 'events_json',
      columns: [
        { name: 'Id', type: 'long', path: '$.id' },
        { name: 'KafkaPartition', type: 'int', path: '$.__kafka.partition' },
        { name: 'KafkaOffset', type: 'long', path: '$.__kafka.offset' },
      ],
    },
    ingestion: { mode: 'streaming' },
    flush: { maxRecords: 250, maxBytes: 1024 * 1024, maxAgeMs: 200 },
    delivery: 'exactly-once',
    ...overrides,
  };
}

async function tally(dbName: string) {
  const [row] = await rows<{ total: number; distinctIds: number }>(dbName, 'Events | summarize total = count(), distinctIds = dcount(Id)');
  return { total: Number(row.total), distinctIds: Number(row.distinctIds) };
}

describe('record metadata as columns', () => {
  it('stores the key, a header, topic, partition, offset and timestamp exactly as produced', async () => {
    const topic = uniqueName('meta');
    const dbName = uniqueName('metadb');
    await createTopic(topic, 2);
    await createConnector(
      database.db,
      {
        ...eventsConnector(topic, dbName, { delivery: 'at-least-once' }),
        target: {
          database: dbName,
          table: 'Events',
          mappingName: 'events_json',
          columns: [
            { name: 'Id', type: 'long', path: '$.id' },
            { name: 'KafkaTopic', type: 'string', path: '$.__kafka.topic' },
            { name: 'KafkaPartition', type: 'int', path: '$.__kafka.partition' },
            { name: 'KafkaOffset', type: 'long', path: '$.__kafka.offset' },
            { name: 'KafkaTimestamp', type: 'datetime', path: '$.__kafka.timestamp' },
            { name: 'KafkaKey', type: 'string', path: '$.__kafka.key' },
            { name: 'Source', type: 'string', path: '$.__kafka.headers.source' },
          ],
        },
      },
      'test',
    );
    const worker = startSupervisor(database, 'metadata');
    await worker.start();
    const timestamp = Date.UTC(2026, 10, 1, 12, 30, 15, 250);
    await produce(topic, [
      { key: 'player-7', value: JSON.stringify({ id: 1 }), partition: 1, timestamp: String(timestamp), headers: { source: 'mobile' } },
      { key: 'player-8', value: JSON.stringify({ id: 2 }), partition: 1, timestamp: String(timestamp + 1000), headers: { source: 'web' } },
    ]);
    const landed = await waitFor(async () => {
      const found = await rows<Record<string, unknown>>(dbName, 'Events | order by Id asc');
      expect(found).toHaveLength(2);
      return found;
    }, { timeoutMs: 30_000 });
    expect(landed[0]).toMatchObject({ Id: 1, KafkaTopic: topic, KafkaPartition: 1, KafkaOffset: 0, KafkaKey: 'player-7', Source: 'mobile' });
    expect(new Date(landed[0].KafkaTimestamp as string).getTime()).toBe(timestamp);
    expect(landed[1]).toMatchObject({ Id: 2, KafkaPartition: 1, KafkaOffset: 1, KafkaKey: 'player-8', Source: 'web' });
    // The next tests bring their own workers.
    await worker.stop();
  });
});

describe('the exactly-once option', () => {
  it('is refused without the coordinate columns when streaming, or with managed streaming, naming the field', () => {
    const base = eventsConnector('t', 'db');
    const issues = (input: unknown) => (ZConnectorDefinition.safeParse(input).error?.issues ?? []).map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    expect(issues({ ...base, target: { ...base.target, columns: [{ name: 'Id', type: 'long', path: '$.id' }] } })).toEqual([
      'target.columns: exactly-once needs a column mapped from $.__kafka.partition (the Kafka partition stored with each row)',
      'target.columns: exactly-once needs a column mapped from $.__kafka.offset (the Kafka offset stored with each row)',
    ]);
    expect(issues({ ...base, ingestion: { mode: 'managed' } })).toEqual(['delivery: exactly-once needs streaming or queued ingestion; managed streaming switches between them batch by batch']);
    // Queued ingestion dedupes by ingest-by tag: no coordinate columns needed.
    expect(issues({ ...base, ingestion: { mode: 'queued' }, target: { ...base.target, columns: [{ name: 'Id', type: 'long', path: '$.id' }] } })).toEqual([]);
  });

  it.each([
    ['streaming', { ingestion: { mode: 'streaming' } }],
    // One blob per batch of the service, sealed at once: blobs land while the worker is killed.
    ['queued', { ingestion: { mode: 'queued', batching: { maxBatchingTimeSpan: '00:00:10', maxItems: 1, maxRawDataSizeMb: 100 } } }],
  ] as const)('leaves no duplicate after a worker is killed with SIGKILL mid-ingestion (%s)', async (mode, overrides) => {
    const EVENTS = 30_000;
    const topic = uniqueName('eocrash');
    const dbName = uniqueName('eocrashdb');
    await createTopic(topic, 4);
    await produce(topic, Array.from({ length: EVENTS }, (_, id) => ({ key: String(id % 97), value: JSON.stringify({ id }) })));
    const connector = await createConnector(database.db, eventsConnector(topic, dbName, overrides), 'test');
    const startWorker = (id: string) =>
      startNodeService({
        name: `worker ${id}`,
        script: path.join(root, 'worker/main.ts'),
        env: { DATABASE_URL: database.url, KASTOR_SECRET_KEY: secretKey(), KASTOR_WORKER_ID: id, KASTOR_POLL_INTERVAL_MS: '500', KASTOR_METRICS_INTERVAL_MS: '500' },
        logFile: path.join(runDir(), `logs/exactly-once-${id}.log`),
        readyLine: /started/,
      });
    const first = await startWorker(`eo-first-${mode}`);
    processes.push(first);
    // Queued blobs land after their sender is gone, so there the crash is timed by what was sent.
    const progress = async () =>
      mode === 'queued'
        ? Number((await database.db.ingestionBatch.aggregate({ where: { connectorId: connector.id }, _sum: { rows: true } }))._sum.rows ?? 0)
        : (await tally(dbName)).total;
    await waitFor(async () => expect(await progress()).toBeGreaterThanOrEqual(3_000), { timeoutMs: 60_000, intervalMs: 50 });
    first.kill('SIGKILL');
    expect(await progress()).toBeLessThan(EVENTS);
    const inFlight = await database.db.ingestionBatch.count({ where: { connectorId: connector.id, status: 'PENDING' } });
    processes.push(await startWorker(`eo-second-${mode}`));
    const final = await waitFor(async () => {
      const current = await tally(dbName);
      expect(current.distinctIds).toBe(EVENTS);
      return current;
    }, { timeoutMs: 120_000, intervalMs: 1_000 });
    expect(final.total).toBe(EVENTS);
    await waitFor(async () => expect((await getConnector(database.db, connector.id)).totalLag).toBe(0), { timeoutMs: 30_000 });
    expect((await getConnector(database.db, connector.id)).duplicateRows).toBe(0);
    if (mode === 'queued') {
      // Every recorded range has an outcome: the ones sent again were skipped by ADX as already landed, or landed then.
      await waitFor(async () => expect(await database.db.ingestionBatch.count({ where: { connectorId: connector.id, status: { not: 'SUCCEEDED' } } })).toBe(0), { timeoutMs: 60_000 });
      console.log(`exactly-once queued: ${inFlight} recorded ranges had no outcome yet when the worker was killed`);
    }
  });

  it('leaves no duplicate while partitions move between three workers', async () => {
    const topic = uniqueName('eomove');
    const dbName = uniqueName('eomovedb');
    await createTopic(topic, 6);
    await createConnector(database.db, eventsConnector(topic, dbName), 'test');
    const first = startSupervisor(database, 'move-1');
    supervisors.push(first);
    await first.start();
    let id = 0;
    const batch = async (count: number) => {
      await produce(topic, Array.from({ length: count }, () => ({ key: String(id % 101), value: JSON.stringify({ id: id++ }) })));
    };
    await batch(5_000);
    for (const name of ['move-2', 'move-3']) {
      const supervisor = startSupervisor(database, name);
      supervisors.push(supervisor);
      await supervisor.start();
      await batch(5_000);
    }
    await first.stop();
    await batch(5_000);
    const final = await waitFor(async () => {
      const current = await tally(dbName);
      expect(current.distinctIds).toBe(20_000);
      return current;
    }, { timeoutMs: 120_000, intervalMs: 1_000 });
    expect(final.total).toBe(20_000);
  });
});
