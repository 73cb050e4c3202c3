import { Client as KustoClient } from 'azure-kusto-data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as connectorRoute from '../../app/api/connectors/[id]/route';
import * as connectorsRoute from '../../app/api/connectors/route';
import * as sampleRoute from '../../app/api/connections/kafka/[id]/topics/[topic]/sample/route';
import * as topicsRoute from '../../app/api/connections/kafka/[id]/topics/route';
import * as checkTargetRoute from '../../app/api/wizard/check-target/route';
import * as inferRoute from '../../app/api/wizard/infer-columns/route';
import * as planRoute from '../../app/api/wizard/plan/route';
import * as previewRoute from '../../app/api/wizard/preview/route';
import { createKustoConnection } from '../../lib/connections/save-connections';
import { adminCommandsOf } from '../../lib/connectors/save-steps';
import { REFERENCE_EVENTS, toKafkaMessage } from '../../lib/demo/gameplay';
import { readPartitionMessages } from '../../lib/kafka/read-partition-messages';
import type { Supervisor } from '../../worker/supervisor';
import {
  createTopic,
  kustoCommandsLike,
  kustoCount,
  secretKey,
  produce,
  testKafka,
  uniqueName,
  waitFor,
  type TestDatabase,
  type TestEngine,
  startPipelineWorld,
  type PipelineWorld,
} from '../support/harness';
import { jsonRequest, routeParams } from '../support/route-requests';

let world: PipelineWorld;
let database: TestDatabase;
let engine: TestEngine;
let supervisor: Supervisor;
let ids: { kafkaConnectionId: string; kustoConnectionId: string };

type Handler<P> = (request: Request, context: { params: Promise<P> }) => Promise<Response>;

async function call<P = Record<string, never>>(handler: Handler<P>, path: string, body?: unknown, params?: P, method = body === undefined ? 'GET' : 'POST') {
  const response = await handler(jsonRequest(method, path, body), routeParams((params ?? {}) as P));
  return { status: response.status, body: (await response.json()) as any };
}

/** Each step a create answered, as `step purpose status`. */
function stepLines(steps: { step: string; purpose: string; status: string }[]): string[] {
  return steps.map((step) => `${step.step} ${step.purpose} ${step.status}`);
}

async function mgmt(database: string, csl: string): Promise<void> {
  const client = new KustoClient(engine.url);
  try {
    await client.executeMgmt(database, csl);
  } finally {
    client.close();
  }
}

async function mgmtRows(database: string, csl: string): Promise<Record<string, unknown>[]> {
  const client = new KustoClient(engine.url);
  try {
    return (await client.executeMgmt(database, csl)).primaryResults[0].toJSON<Record<string, unknown>>().data;
  } finally {
    client.close();
  }
}

async function consumerGroups(): Promise<string[]> {
  const admin = testKafka().admin();
  await admin.connect();
  try {
    return (await admin.listGroups()).groups.map((group) => group.groupId).sort();
  } finally {
    await admin.disconnect();
  }
}

/** Orders with a nested customer object and an epoch-milliseconds timestamp. */
const ORDERS = Array.from({ length: 6 }, (_, i) => ({
  orderId: 1001 + i,
  placedAt: 1_635_048_879_572 + i * 1000,
  customer: { country: i % 2 === 0 ? 'NL' : 'DE', tier: i },
  amount: 12.5 + i,
}));

beforeAll(async () => {
  world = await startPipelineWorld();
  ({ database, engine, ids, supervisor } = world);
});

afterAll(async () => {
  await world?.close();
});

describe('source: topics and samples', () => {
  const topic = uniqueName('orders');

  beforeAll(async () => {
    await createTopic(topic, 3);
    await produce(
      topic,
      ORDERS.map((order, i) => ({ key: String(order.orderId), value: JSON.stringify(order), partition: i % 3, headers: { source: 'shop' } })),
    );
  });

  it('lists the topics with partitions and message counts, hiding internal topics', async () => {
    const { status, body } = await call(topicsRoute.GET, `/api/connections/kafka/${ids.kafkaConnectionId}/topics`, undefined, { id: ids.kafkaConnectionId });
    expect(status).toBe(200);
    expect(body.topics).toContainEqual({ name: topic, partitions: 3, messages: 6, sizeBytes: expect.any(Number), replicationFactor: 1, retentionMs: 604_800_000, retentionBytes: -1, cleanupPolicy: 'delete' });
    // Six small records take a few hundred bytes on the broker's disk (DescribeLogDirs).
    const size = body.topics.find((entry: { name: string }) => entry.name === topic).sizeBytes;
    expect(size).toBeGreaterThan(300);
    expect(size).toBeLessThan(10_000);
    expect(body.topics.some((entry: { name: string }) => entry.name.startsWith('__'))).toBe(false);
  });

  it('samples the newest messages of every partition without joining or moving any consumer group', async () => {
    const groupsBefore = await consumerGroups();
    const params = { id: ids.kafkaConnectionId, topic };
    const { status, body } = await call(sampleRoute.GET, `/api/connections/kafka/${ids.kafkaConnectionId}/topics/${topic}/sample?limit=4`, undefined, params);
    expect(status).toBe(200);
    expect(body.format).toBe('json');
    expect(body.messages).toHaveLength(4);
    for (const message of body.messages) {
      const order = JSON.parse(message.value);
      expect(message).toMatchObject({ key: String(order.orderId), valueBase64: null, headers: { source: 'shop' } });
      expect(ORDERS.indexOf(ORDERS.find((candidate) => candidate.orderId === order.orderId)!) % 3).toBe(message.partition);
      expect(new Date(message.timestamp).toISOString()).toBe(message.timestamp);
    }
    const all = await call(sampleRoute.GET, `/api/connections/kafka/${ids.kafkaConnectionId}/topics/${topic}/sample?limit=50`, undefined, params);
    expect(all.body.messages.map((message: { key: string }) => Number(message.key)).sort()).toEqual(ORDERS.map((order) => order.orderId));
    expect(await consumerGroups()).toEqual(groupsBefore);
  });

  it('returns a value that is not UTF-8 text as base64, and calls the format unknown', async () => {
    const binaryTopic = uniqueName('binary');
    await createTopic(binaryTopic, 1);
    await produce(binaryTopic, [{ key: 'k', value: Buffer.from([0xff, 0xfe, 0x00]) }]);
    const { body } = await call(sampleRoute.GET, `/api/connections/kafka/${ids.kafkaConnectionId}/topics/${binaryTopic}/sample`, undefined, { id: ids.kafkaConnectionId, topic: binaryTopic });
    expect(body.messages).toEqual([expect.objectContaining({ partition: 0, offset: 0, key: 'k', value: null, valueBase64: '//4A' })]);
    expect(body.format).toBe('unknown');
  });

  it('reads one partition from a given offset', async () => {
    const messages = await readPartitionMessages(testKafka(), { topic, partition: 0, fromOffset: 1, maxMessages: 10 });
    expect(messages.map((message) => [message.offset, message.key])).toEqual([[1, '1004']]);
  });

  it('answers 404 for an unknown connection or topic', async () => {
    const missing = '00000000-0000-4000-8000-00000000dead';
    expect((await call(topicsRoute.GET, `/api/connections/kafka/${missing}/topics`, undefined, { id: missing })).status).toBe(404);
    const unknownTopic = await call(sampleRoute.GET, `/api/connections/kafka/${ids.kafkaConnectionId}/topics/nope/sample`, undefined, { id: ids.kafkaConnectionId, topic: uniqueName('nope') });
    expect(unknownTopic.status).toBe(404);
    expect(unknownTopic.body.error.message).toMatch(/does not exist/);
  });

  it('proposes a datetime from epoch milliseconds and a flattened nested field; the created connector lands them', async () => {
    const samples = ORDERS.map((order) => JSON.stringify(order));
    const inferred = await call(inferRoute.POST, '/api/wizard/infer-columns', { samples, format: 'json' });
    expect(inferred.status).toBe(200);
    const columns = inferred.body.columns;
    expect(columns).toEqual([
      { name: 'OrderID', type: 'int', path: '$.orderId' },
      { name: 'PlacedAt', type: 'datetime', path: '$.placedAt', transform: 'DateTimeFromUnixMilliseconds' },
      { name: 'CustomerCountry', type: 'string', path: '$.customer.country' },
      { name: 'CustomerTier', type: 'int', path: '$.customer.tier' },
      { name: 'Amount', type: 'real', path: '$.amount' },
    ]);

    const preview = await call(previewRoute.POST, '/api/wizard/preview', { samples: [samples[0], '{"orderId":"abc"}'], format: 'json', columns });
    expect(preview.body.rows[0]).toEqual({ values: [1001, '2021-10-24T04:14:39.5720000Z', 'NL', 0, 12.5], nulls: [] });
    expect(preview.body.rows[1].nulls).toContainEqual({ column: 'OrderID', reason: "'abc' is not a valid int" });

    const definition = {
      name: 'orders',
      ...ids,
      source: { topics: [topic] },
      format: 'json',
      target: { database: 'shopdb', table: 'Orders', mappingName: 'orders_json_mapping', columns },
      ingestion: { streaming: true },
      flush: { maxAgeMs: 200 },
    };
    const plan = await call(planRoute.POST, '/api/wizard/plan', { definition });
    expect(plan.status).toBe(200);
    expect(plan.body.commands.map((command: { purpose: string }) => command.purpose)).toEqual(['table', 'mapping', 'batching policy', 'streaming policy']);
    expect(plan.body.commands[0].csl).toBe(".create-merge table ['Orders'] (['OrderID']:int, ['PlacedAt']:datetime, ['CustomerCountry']:string, ['CustomerTier']:int, ['Amount']:real)");
    expect(plan.body.definition.errorPolicy).toEqual({ onDecodeError: 'fail' });

    // One request plans, runs the KQL and saves, and says so step by step.
    const created = await call(connectorsRoute.POST, '/api/connectors', plan.body.definition);
    expect(created.status).toBe(201);
    expect(stepLines(created.body.steps)).toEqual([
      'plan the definition and its KQL done',
      'apply table done',
      'apply mapping done',
      'apply batching policy done',
      'apply streaming policy done',
      'save connector orders done',
    ]);
    expect(created.body.steps.filter((step: { step: string }) => step.step === 'apply').map((step: { csl: string }) => step.csl)).toEqual(
      plan.body.commands.map((command: { csl: string }) => command.csl),
    );
    expect(created.body.connector).toMatchObject({ name: 'orders', revision: 1, appliedRevision: 1 });
    // The table, mapping and policies are on the target before the worker has started anything.
    const shown = async (csl: string) => (await mgmtRows('shopdb', csl)).map((row) => JSON.stringify(row)).join('\n');
    expect(await shown('.show table Orders cslschema')).toContain('OrderID:int');
    expect(await shown('.show table Orders ingestion json mappings')).toContain('orders_json_mapping');
    expect(await shown('.show table Orders policy streamingingestion')).toContain('true');
    await waitFor(async () => expect(await kustoCount(engine.url, 'shopdb', 'Orders')).toBe(6));

    // The worker runs the revision without running its KQL again: one of each command, no apply audit.
    expect(await kustoCommandsLike(engine.url, 'shopdb', '.create-merge table')).toHaveLength(1);
    expect(await kustoCommandsLike(engine.url, 'shopdb', '.create-or-alter table')).toHaveLength(1);
    expect(await database.db.auditEvent.count({ where: { connectorId: created.body.connector.id, action: 'apply-target' } })).toBe(0);

    // An edit is the same one request: revision 2's KQL runs once, by the save, not again by the worker.
    const id = created.body.connector.id;
    const edited = { ...plan.body.definition, ingestion: { ...plan.body.definition.ingestion, batching: { ...plan.body.definition.ingestion.batching, maxItems: 7 } } };
    const saved = await call(connectorRoute.PUT, `/api/connectors/${id}`, { definition: edited, expectedRevision: 1 }, { id }, 'PUT');
    expect(saved.status).toBe(200);
    expect(saved.body.connector).toMatchObject({ revision: 2, appliedRevision: 2 });
    expect(stepLines(saved.body.steps).at(-1)).toBe('save connector orders done');
    await waitFor(
      async () => expect(await database.db.connectorAssignment.findMany({ where: { connectorId: id }, select: { revision: true, state: true } })).toEqual([{ revision: 2, state: 'RUNNING' }]),
      { timeoutMs: 30_000 },
    );
    expect(await kustoCommandsLike(engine.url, 'shopdb', '.create-merge table')).toHaveLength(2);
    expect(await database.db.auditEvent.count({ where: { connectorId: id, action: 'apply-target' } })).toBe(0);

    const client = new KustoClient(engine.url);
    const result = await client.execute('shopdb', 'Orders | where OrderID == 1002 | project PlacedAt, CustomerCountry, CustomerTier, Amount');
    client.close();
    const [row] = result.primaryResults[0].toJSON<{ PlacedAt: Date; CustomerCountry: string; CustomerTier: number; Amount: number }>().data;
    expect(row.PlacedAt.toISOString()).toBe('2021-10-24T04:14:40.572Z');
    expect(row).toMatchObject({ CustomerCountry: 'DE', CustomerTier: 1, Amount: 13.5 });
  });
});

describe('schema from the reference events', () => {
  it('gives PlayerID int, GameID int, Win long, Score int, EventTime datetime', async () => {
    const samples = REFERENCE_EVENTS.map((event) => toKafkaMessage(event).value);
    const { body } = await call(inferRoute.POST, '/api/wizard/infer-columns', { samples, format: 'json' });
    expect(body.columns.map((column: { name: string; type: string }) => `${column.name}:${column.type}`)).toEqual([
      'PlayerID:int',
      'GameID:int',
      'Win:long',
      'Score:int',
      'EventTime:datetime',
    ]);
  });

  it('refuses a body without samples with a 422 naming the field', async () => {
    const { status, body } = await call(inferRoute.POST, '/api/wizard/infer-columns', { samples: [], format: 'json' });
    expect(status).toBe(422);
    expect(body.error.issues[0].field).toBe('samples');
  });
});

describe('target: an existing table', () => {
  const columns = [
    { name: 'OrderID', type: 'int', path: '$.orderId' },
    { name: 'PlacedAt', type: 'datetime', path: '$.placedAt', transform: 'DateTimeFromUnixMilliseconds' },
    { name: 'Amount', type: 'real', path: '$.amount' },
  ];
  const check = (table: string) => call(checkTargetRoute.POST, '/api/wizard/check-target', { kustoConnectionId: ids.kustoConnectionId, database: 'legacydb', table, columns });

  it('offers the missing column as a .create-merge addition, which makes the table fit', async () => {
    await mgmt('legacydb', '.create table LegacyOrders (OrderID:int, PlacedAt:datetime)');
    await mgmt('legacydb', `.create table LegacyOrders ingestion json mapping 'legacy_mapping' '[{"column":"OrderID","Properties":{"Path":"$.id"}}]'`);
    const { status, body } = await check('LegacyOrders');
    expect(status).toBe(200);
    expect(body).toEqual({
      exists: true,
      existingColumns: [
        { name: 'OrderID', type: 'int' },
        { name: 'PlacedAt', type: 'datetime' },
      ],
      mappings: [{ name: 'legacy_mapping', kind: 'Json' }],
      additions: [{ name: 'Amount', type: 'real' }],
      conflicts: [],
      mergeCommand: ".create-merge table ['LegacyOrders'] (['Amount']:real)",
    });
    await mgmt('legacydb', body.mergeCommand);
    const after = await check('LegacyOrders');
    expect(after.body.additions).toEqual([]);
    expect(after.body.mergeCommand).toBeNull();
  });

  it('blocks a column whose type conflicts, naming the column and why; applying it fails with the command results', async () => {
    await mgmt('legacydb', '.create table TextOrders (OrderID:string, PlacedAt:datetime, Amount:real)');
    const { body } = await check('TextOrders');
    expect(body.additions).toEqual([]);
    expect(body.conflicts).toHaveLength(1);
    expect(body.conflicts[0]).toMatchObject({ column: 'OrderID', existingType: 'string', wantedType: 'int' });
    expect(body.conflicts[0].message).toContain("Column 'OrderID' of table 'TextOrders' is string, but the mapping needs int");
    expect(body.conflicts[0].message).toContain('cannot change');

    const definition = {
      name: 'text-orders',
      ...ids,
      source: { topics: ['orders'] },
      format: 'json',
      target: { database: 'legacydb', table: 'TextOrders', mappingName: 'text_orders_mapping', columns },
    };
    const created = await call(connectorsRoute.POST, '/api/connectors', definition);
    expect(created.status).toBe(502);
    expect(created.body.error.code).toBe('TARGET_ERROR');
    expect(created.body.error.message).toMatch(/OrderID/);
    expect(stepLines(created.body.steps)).toEqual([
      'plan the definition and its KQL done',
      'apply table failed',
      'apply mapping skipped',
      'apply batching policy skipped',
      'apply streaming policy skipped',
    ]);
    expect(created.body.steps[1].error).toMatch(/OrderID/);
    expect(await database.db.connector.count({ where: { name: 'text-orders' } })).toBe(0);
  });

  it('reports a table that does not exist yet, with every column to create', async () => {
    const { body } = await check('NewOrders');
    expect(body.exists).toBe(false);
    expect(body.additions.map((column: { name: string }) => column.name)).toEqual(['OrderID', 'PlacedAt', 'Amount']);
  });
});

describe('an ingestor-only connection', () => {
  it('answers the KQL an admin must run and saves nothing while the table is missing; with it run, the create only checks', async () => {
    const ingestor = await createKustoConnection(database.db, { name: 'ingest-only', clusterUrl: engine.url, principalRole: 'INGESTOR' }, secretKey());
    const topic = uniqueName('ingest-only');
    await createTopic(topic, 1);
    const definition = (name: string) => ({
      name,
      kafkaConnectionId: ids.kafkaConnectionId,
      kustoConnectionId: ingestor.id,
      source: { topics: [topic] },
      format: 'json',
      target: { database: 'ingestdb', table: 'Orders', mappingName: 'orders_mapping', columns: [{ name: 'OrderID', type: 'int', path: '$.orderId' }] },
    });
    const changesOnTarget = async () => [...(await kustoCommandsLike(engine.url, 'ingestdb', '.create')), ...(await kustoCommandsLike(engine.url, 'ingestdb', '.alter'))];

    const refused = await call(connectorsRoute.POST, '/api/connectors', definition('ingest-orders'));
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('TARGET_NOT_READY');
    expect(refused.body.error.message).toContain('An admin of the database must run');
    const verified = refused.body.steps.filter((step: { step: string }) => step.step === 'verify');
    expect(verified.find((step: { purpose: string }) => step.purpose === 'table')).toMatchObject({ status: 'failed', csl: ".create-merge table ['Orders'] (['OrderID']:int)" });
    expect(refused.body.steps.some((step: { step: string }) => step.step === 'save')).toBe(false);
    expect(await database.db.connector.count({ where: { name: 'ingest-orders' } })).toBe(0);
    expect(await changesOnTarget()).toEqual([]);

    const badFlag = await call(connectorsRoute.POST, '/api/connectors?ifTargetNotReady=maybe', definition('ingest-orders'));
    expect(badFlag.status).toBe(422);
    expect(badFlag.body.error.issues[0].field).toBe('ifTargetNotReady');

    // Saved anyway: the connector exists, its revision is not recorded as verified, nothing ran on the target.
    const anyway = await call(connectorsRoute.POST, '/api/connectors?ifTargetNotReady=save', definition('ingest-orders'));
    expect(anyway.status).toBe(201);
    expect(stepLines(anyway.body.steps).at(-1)).toBe('save connector ingest-orders done');
    expect(await database.db.connectorStatus.findUnique({ where: { connectorId: anyway.body.connector.id }, select: { appliedRevision: true } })).toEqual({ appliedRevision: null });
    expect(await changesOnTarget()).toEqual([]);

    // Once an admin has run the KQL it answered, a create finds the target ready and changes nothing.
    const adminKql = adminCommandsOf(refused.body.steps);
    for (const csl of adminKql) await mgmt('ingestdb', csl);
    const ready = await call(connectorsRoute.POST, '/api/connectors', definition('ingest-orders-2'));
    expect(ready.status).toBe(201);
    expect(ready.body.steps.filter((step: { step: string; status: string }) => step.step === 'verify' && step.status !== 'done')).toEqual([]);
    expect(ready.body.connector.appliedRevision).toBe(1);
    expect(await changesOnTarget()).toHaveLength(adminKql.length);
  });
});

describe('plan', () => {
  it('refuses a batching policy outside the ADX limits with a 422 naming the field', async () => {
    const { status, body } = await call(planRoute.POST, '/api/wizard/plan', {
      definition: {
        name: 'x',
        ...ids,
        source: { topics: ['t'] },
        format: 'json',
        target: { database: 'db', table: 'T', mappingName: 'm', columns: [{ name: 'A', type: 'int', path: '$.a' }] },
        ingestion: { streaming: false, batching: { maxBatchingTimeSpan: '00:00:10', maxItems: 30_000, maxRawDataSizeMb: 100 } },
      },
    });
    expect(status).toBe(422);
    expect(body.error.issues).toEqual([{ field: 'ingestion.batching.maxItems', message: 'must be at most 25,000 (ADX limit)' }]);
  });
});
