import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as connectorsRoute from '../../app/api/connectors/route';
import * as connectorRoute from '../../app/api/connectors/[id]/route';
import * as actionRoute from '../../app/api/connectors/[id]/actions/[action]/route';
import * as kafkaConnectionsRoute from '../../app/api/connections/kafka/route';
import { gameplayConnectorDefinition } from '../../lib/demo/gameplay';
import { createTestDatabase, seedConnections, startTestEngine, useWebRoutes, type TestDatabase, type TestEngine } from '../support/harness';
import { jsonRequest, noParams } from '../support/route-requests';

let database: TestDatabase;
// Creating or editing a connector runs its KQL on the target first.
let engine: TestEngine;
let ids: { kafkaConnectionId: string; kustoConnectionId: string };


async function postConnector(body: unknown) {
  const response = await connectorsRoute.POST(jsonRequest('POST', '/api/connectors', body), noParams);
  return { status: response.status, body: await response.json() };
}

beforeAll(async () => {
  database = await createTestDatabase();
  await useWebRoutes(database);
  engine = await startTestEngine();
  ids = await seedConnections(database.db, engine.url);
});

afterAll(async () => {
  await engine?.close();
  await database?.drop();
});

describe('POST /api/connectors', () => {
  const valid = () => gameplayConnectorDefinition(ids);

  it.each([
    ['an unknown format', { format: 'protobuf' }, 'format'],
    ['a table name with a quote', { target: { ...valid().target!, table: "Game'Play" } }, 'target.table'],
    ['a batching time span under 10 s', { ingestion: { streaming: false, batching: { maxBatchingTimeSpan: '00:00:05', maxItems: 5, maxRawDataSizeMb: 100 } } }, 'ingestion.batching.maxBatchingTimeSpan'],
    ['an unknown Kafka connection', { kafkaConnectionId: '00000000-0000-4000-8000-00000000dead' }, 'kafkaConnectionId'],
  ])('refuses %s with a 422 naming the field, and stores nothing', async (_label, override, field) => {
    const { status, body } = await postConnector({ ...valid(), ...override });
    expect(status).toBe(422);
    expect(body.error.code).toBe('UNPROCESSABLE');
    expect(body.error.issues.map((issue: { field: string }) => issue.field)).toEqual([field]);
    expect(body.error.message).toContain(field);
    expect(await database.db.connector.count()).toBe(0);
    expect(await database.db.connectorRevision.count()).toBe(0);
  });

  it('refuses a body that is not JSON with a 400', async () => {
    const { status, body } = await postConnector('{"name":');
    expect(status).toBe(400);
    expect(body.error.issues[0].field).toBe('(body)');
  });

  it('creates a connector, then refuses the same name with a 409', async () => {
    const created = await postConnector(valid());
    expect(created.status).toBe(201);
    expect(created.body.connector).toMatchObject({ name: 'gameplay', revision: 1, desiredState: 'RUNNING', target: { database: 'gamesdb', table: 'GamePlay' } });
    const again = await postConnector(valid());
    expect(again.status).toBe(409);
    expect(again.body.error.issues[0].field).toBe('name');
    expect(await database.db.connector.count()).toBe(1);
  });

  it('saves an edit as a new revision and audits lifecycle actions', async () => {
    const [connector] = await database.db.connector.findMany();
    const params = { params: Promise.resolve({ id: connector.id }) };
    const edited = { ...valid(), flush: { maxRecords: 100, maxBytes: 65_536, maxAgeMs: 250 } };
    const response = await connectorRoute.PUT(jsonRequest('PUT', `/api/connectors/${connector.id}`, { definition: edited, expectedRevision: 1 }), params);
    expect(response.status).toBe(200);
    expect((await response.json()).connector.revision).toBe(2);
    const stale = await connectorRoute.PUT(jsonRequest('PUT', `/api/connectors/${connector.id}`, { definition: edited, expectedRevision: 1 }), params);
    expect(stale.status).toBe(409);

    const pause = await actionRoute.POST(jsonRequest('POST', `/api/connectors/${connector.id}/actions/pause`), { params: Promise.resolve({ id: connector.id, action: 'pause' }) });
    expect(await pause.json()).toEqual({ desiredState: 'PAUSED' });
    const resumeTwice = await actionRoute.POST(jsonRequest('POST', `/api/connectors/${connector.id}/actions/start`), { params: Promise.resolve({ id: connector.id, action: 'start' }) });
    expect(resumeTwice.status).toBe(409);
    const audit = await database.db.auditEvent.findMany({ where: { connectorId: connector.id }, orderBy: { id: 'asc' } });
    expect(audit.map((event) => event.action)).toEqual(['create', 'update', 'pause']);
    expect(await database.db.connectorRevision.count({ where: { connectorId: connector.id } })).toBe(2);
  });

  it('answers 404 for an unknown connector id', async () => {
    const response = await connectorRoute.GET(jsonRequest('GET', '/api/connectors/nope'), { params: Promise.resolve({ id: 'nope' }) });
    expect(response.status).toBe(404);
  });
});

describe('Kafka connections', () => {
  it('encrypt the SASL password at rest and never return it', async () => {
    const response = await kafkaConnectionsRoute.POST(
      jsonRequest('POST', '/api/connections/kafka', {
        name: 'prod',
        brokers: ['broker1:9093'],
        securityProtocol: 'SASL_SSL',
        saslMechanism: 'PLAIN',
        saslUsername: 'svc',
        saslPassword: 'pa55-word-secret',
      }),
      noParams,
    );
    expect(response.status).toBe(201);
    const text = JSON.stringify(await response.json());
    expect(text).not.toContain('pa55-word-secret');
    expect(text).toContain('"saslPasswordSet":true');
    const stored = await database.db.kafkaConnection.findUniqueOrThrow({ where: { name: 'prod' } });
    expect(stored.saslPasswordEnc).toBeTruthy();
    expect(stored.saslPasswordEnc).not.toContain('pa55-word-secret');
  });
});
