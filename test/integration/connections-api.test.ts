import { Client as KustoClient } from 'azure-kusto-data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as kafkaConnectionRoute from '../../app/api/connections/kafka/[id]/route';
import * as kafkaTestRoute from '../../app/api/connections/kafka/[id]/test/route';
import * as kafkaConnectionsRoute from '../../app/api/connections/kafka/route';
import * as kafkaDraftTestRoute from '../../app/api/connections/kafka/test/route';
import * as kustoConnectionRoute from '../../app/api/connections/kusto/[id]/route';
import * as kustoTestRoute from '../../app/api/connections/kusto/[id]/test/route';
import * as kustoConnectionsRoute from '../../app/api/connections/kusto/route';
import * as kustoDraftTestRoute from '../../app/api/connections/kusto/test/route';
import { createConnector } from '../../lib/connectors/save-connector';
import { gameplayConnectorDefinition } from '../../lib/demo/gameplay';
import { decryptSecret } from '../../lib/secrets';
import {
  createTestDatabase,
  createTopic,
  kafkaBrokers,
  secretKey,
  seedConnections,
  startTestEngine,
  uniqueName,
  useWebRoutes,
  type TestDatabase,
  type TestEngine,
} from '../support/harness';
import { jsonRequest, routeParams } from '../support/route-requests';

/**
 * The connections API on a real Postgres, Kafka broker and the local engine: secrets go in and
 * never come out, edits keep what is left blank, a connection in use cannot be deleted, and
 * "Test connection" reports what the principal may do in a database.
 */
let database: TestDatabase;
let engine: TestEngine;
let ids: { kafkaConnectionId: string; kustoConnectionId: string };

const APP_KEY = 'app-key-that-must-never-leave-the-server';
const SASL_PASSWORD = 'sasl-password-that-must-never-leave-the-server';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const APP_ID = '1f0c5a0e-4d6e-4c8f-9a7e-2b3c4d5e6f70';
const TEST_DATABASE = 'conntestdb';

type Handler<P> = (request: Request, context: { params: Promise<P> }) => Promise<Response>;

async function call<P>(handler: Handler<P>, method: string, path: string, params: P, body?: unknown) {
  const response = await handler(jsonRequest(method, path, body), routeParams(params));
  const text = await response.text();
  // Every answer is checked for secrets, in plain text or as their stored ciphertext.
  expect(text).not.toContain(APP_KEY);
  expect(text).not.toContain(SASL_PASSWORD);
  expect(text).not.toMatch(/v[12]:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:/);
  return { status: response.status, body: (text ? JSON.parse(text) : null) as any };
}

const none = {} as Record<string, never>;

const appKeyConnection = (overrides: Record<string, unknown> = {}) => ({
  name: uniqueName('adx'),
  clusterUrl: 'https://mycluster.westeurope.kusto.windows.net',
  authKind: 'APPLICATION_KEY',
  tenantId: TENANT,
  appId: APP_ID,
  appKey: APP_KEY,
  principalRole: 'INGESTOR',
  ...overrides,
});

beforeAll(async () => {
  database = await createTestDatabase();
  // 127.0.0.1:1 is allowed so the unreachable-broker test dials it (nothing listens there).
  await useWebRoutes(database, { KASTOR_KAFKA_ALLOWED_BROKERS: [...kafkaBrokers(), '127.0.0.1:1', '*'].join(',') });
  engine = await startTestEngine();
  ids = await seedConnections(database.db, engine.url);
  // The local engine has a database once a table is created in it.
  const client = new KustoClient(engine.url);
  try {
    await client.executeMgmt(TEST_DATABASE, '.create-merge table Probe (Id:long)');
  } finally {
    client.close();
  }
});

afterAll(async () => {
  await engine?.close();
  await database?.drop();
});

describe('Kusto connections', () => {
  it('refuses application-key authentication without a tenant, naming the field', async () => {
    const { status, body } = await call(kustoConnectionsRoute.POST, 'POST', '/api/connections/kusto', none, appKeyConnection({ tenantId: '' }));
    expect(status).toBe(422);
    expect(body.error.issues).toEqual([{ field: 'tenantId', message: expect.stringMatching(/required/) }]);
  });

  it.each([
    ['a workload identity without a tenant', { authKind: 'WORKLOAD_IDENTITY', tenantId: undefined, appKey: undefined }, 'tenantId'],
    ['a certificate that is not PEM', { authKind: 'APPLICATION_CERTIFICATE', appKey: undefined, certificatePem: 'not a certificate' }, 'certificatePem'],
    ['a cluster URL that is not http(s)', { clusterUrl: 'ftp://cluster' }, 'clusterUrl'],
  ])('refuses %s with a 422 naming the field', async (_label, overrides, field) => {
    const { status, body } = await call(kustoConnectionsRoute.POST, 'POST', '/api/connections/kusto', none, appKeyConnection(overrides));
    expect(status).toBe(422);
    expect(body.error.issues.map((issue: { field: string }) => issue.field)).toEqual([field]);
  });

  it('stores the app key encrypted and shows it only as set; an edit with the key left blank keeps it', async () => {
    const created = await call(kustoConnectionsRoute.POST, 'POST', '/api/connections/kusto', none, appKeyConnection({ name: 'prod-adx' }));
    expect(created.status).toBe(201);
    const id = created.body.connection.id;
    expect(created.body.connection).toMatchObject({ name: 'prod-adx', authKind: 'APPLICATION_KEY', tenantId: TENANT, appId: APP_ID, appKeySet: true, principalRole: 'INGESTOR' });
    const row = await database.db.kustoConnection.findUniqueOrThrow({ where: { id } });
    expect(decryptSecret(row.appKeyEnc!, secretKey())).toBe(APP_KEY);

    const edited = await call(kustoConnectionRoute.PUT, 'PUT', `/api/connections/kusto/${id}`, { id }, appKeyConnection({ name: 'prod-adx', appKey: '', appId: 'another-app' }));
    expect(edited.status).toBe(200);
    expect(edited.body.connection).toMatchObject({ appId: 'another-app', appKeySet: true });
    const after = await database.db.kustoConnection.findUniqueOrThrow({ where: { id } });
    expect(decryptSecret(after.appKeyEnc!, secretKey())).toBe(APP_KEY);

    const listed = await call(kustoConnectionsRoute.GET, 'GET', '/api/connections/kusto', none);
    expect(listed.body.connections.find((connection: { id: string }) => connection.id === id)).toMatchObject({ appKeySet: true });

    // Another kind drops the key it no longer uses.
    const managed = await call(kustoConnectionRoute.PUT, 'PUT', `/api/connections/kusto/${id}`, { id }, { name: 'prod-adx', clusterUrl: row.clusterUrl, authKind: 'MANAGED_IDENTITY' });
    expect(managed.body.connection).toMatchObject({ authKind: 'MANAGED_IDENTITY', appKeySet: false, tenantId: null, appId: null, managedIdentityClientId: null });
    expect((await database.db.kustoConnection.findUniqueOrThrow({ where: { id } })).appKeyEnc).toBeNull();
  });

  it('refuses an edit to application-key authentication when no key is stored or given', async () => {
    const { body: created } = await call(kustoConnectionsRoute.POST, 'POST', '/api/connections/kusto', none, { name: uniqueName('cli'), clusterUrl: 'https://c.kusto.windows.net', authKind: 'AZURE_CLI' });
    const id = created.connection.id;
    const { status, body } = await call(kustoConnectionRoute.PUT, 'PUT', `/api/connections/kusto/${id}`, { id }, appKeyConnection({ appKey: undefined }));
    expect(status).toBe(422);
    expect(body.error.issues).toEqual([{ field: 'appKey', message: 'is required' }]);
  });

  it('refuses to delete a connection a connector uses, naming the connector; deletes it once unused', async () => {
    const { body: created } = await call(kustoConnectionsRoute.POST, 'POST', '/api/connections/kusto', none, appKeyConnection({ name: 'in-use-adx' }));
    const id = created.connection.id;
    const connector = await createConnector(database.db, gameplayConnectorDefinition({ kafkaConnectionId: ids.kafkaConnectionId, kustoConnectionId: id }, { name: 'orders-ingest' }), 'test');

    const refused = await call(kustoConnectionRoute.DELETE, 'DELETE', `/api/connections/kusto/${id}`, { id });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/"in-use-adx" cannot be deleted: connector "orders-ingest" uses it/);
    const shown = await call(kustoConnectionRoute.GET, 'GET', `/api/connections/kusto/${id}`, { id });
    expect(shown.body.connection.usedBy).toEqual([{ id: connector.id, name: 'orders-ingest' }]);

    await database.db.connector.delete({ where: { id: connector.id } });
    expect((await call(kustoConnectionRoute.DELETE, 'DELETE', `/api/connections/kusto/${id}`, { id })).status).toBe(204);
    expect((await call(kustoConnectionRoute.GET, 'GET', `/api/connections/kusto/${id}`, { id })).status).toBe(404);
  });

  it('tests a saved connection against the local engine: it answers, the database exists, the principal is admin; the outcome is kept', async () => {
    const id = ids.kustoConnectionId;
    const { status, body } = await call(kustoTestRoute.POST, 'POST', `/api/connections/kusto/${id}/test`, { id }, { database: TEST_DATABASE });
    expect(status).toBe(200);
    const test = body.connection.lastTest;
    expect(test.steps).toEqual([
      { name: 'reach', status: 'passed', message: expect.stringContaining('answered') },
      { name: 'database', status: 'passed', message: `Database "${TEST_DATABASE}" exists.` },
      { name: 'role', status: 'passed', message: expect.stringMatching(/admin — Kastor can create and alter tables/) },
    ]);
    expect(test).toMatchObject({ ok: true, database: TEST_DATABASE, detectedRole: 'ADMIN' });
    expect(test.databases).toContain(TEST_DATABASE);
    expect((await database.db.kustoConnection.findUniqueOrThrow({ where: { id } })).lastTestedAt).not.toBeNull();
    const listed = await call(kustoConnectionsRoute.GET, 'GET', '/api/connections/kusto', none);
    expect(listed.body.connections.find((connection: { id: string }) => connection.id === id).lastTest).toEqual(test);

    // Adopting a role keeps the test that suggested it; only the two roles exist.
    const adopted = await call(kustoConnectionRoute.PATCH, 'PATCH', `/api/connections/kusto/${id}`, { id }, { principalRole: 'INGESTOR' });
    expect(adopted.body.connection).toMatchObject({ principalRole: 'INGESTOR', lastTest: test });
    const refused = await call(kustoConnectionRoute.PATCH, 'PATCH', `/api/connections/kusto/${id}`, { id }, { principalRole: 'OWNER' });
    expect(refused.status).toBe(422);
    expect(refused.body.error.issues[0].field).toBe('principalRole');
    await call(kustoConnectionRoute.PATCH, 'PATCH', `/api/connections/kusto/${id}`, { id }, { principalRole: 'ADMIN' });
  });

  it('reports a database that does not exist, and the ones the principal sees', async () => {
    const id = ids.kustoConnectionId;
    const { body } = await call(kustoTestRoute.POST, 'POST', `/api/connections/kusto/${id}/test`, { id }, { database: 'nosuchdb' });
    const test = body.connection.lastTest;
    expect(test.ok).toBe(false);
    expect(test.steps.map((step: { status: string }) => step.status)).toEqual(['passed', 'failed', 'skipped']);
    expect(test.steps[1].message).toMatch(new RegExp(`"nosuchdb" does not exist.*${TEST_DATABASE}`));
  });

  it('tests an unsaved form without storing anything, and says when the cluster does not answer', async () => {
    const countBefore = await database.db.kustoConnection.count();
    const reachable = await call(kustoDraftTestRoute.POST, 'POST', '/api/connections/kusto/test', none, {
      connection: { name: 'draft', clusterUrl: engine.url, authKind: 'NONE' },
      database: TEST_DATABASE,
    });
    expect(reachable.status).toBe(200);
    expect(reachable.body.test).toMatchObject({ ok: true, detectedRole: 'ADMIN' });

    const unreachable = await call(kustoDraftTestRoute.POST, 'POST', '/api/connections/kusto/test', none, {
      connection: { name: 'draft', clusterUrl: 'http://127.0.0.1:1', authKind: 'NONE' },
      database: TEST_DATABASE,
    });
    expect(unreachable.body.test.ok).toBe(false);
    expect(unreachable.body.test.steps[0]).toMatchObject({ name: 'reach', status: 'failed' });
    expect(await database.db.kustoConnection.count()).toBe(countBefore);

    const badDatabase = await call(kustoDraftTestRoute.POST, 'POST', '/api/connections/kusto/test', none, { connection: { name: 'draft', clusterUrl: engine.url }, database: "x'; .drop" });
    expect(badDatabase.status).toBe(422);
    expect(badDatabase.body.error.issues[0].field).toBe('database');
  });
});

describe('Kafka connections', () => {
  const sasl = (overrides: Record<string, unknown> = {}) => ({
    name: uniqueName('kafka'),
    brokers: ['broker-1.example.com:9093'],
    securityProtocol: 'SASL_SSL',
    saslMechanism: 'SCRAM-SHA-512',
    saslUsername: 'kastor',
    saslPassword: SASL_PASSWORD,
    ...overrides,
  });

  it('stores the SASL password encrypted, shows it only as set, and keeps it on an edit that leaves it blank', async () => {
    const created = await call(kafkaConnectionsRoute.POST, 'POST', '/api/connections/kafka', none, sasl({ name: 'prod-kafka' }));
    expect(created.status).toBe(201);
    const id = created.body.connection.id;
    expect(created.body.connection).toMatchObject({ saslMechanism: 'SCRAM-SHA-512', saslUsername: 'kastor', saslPasswordSet: true, usedBy: [] });
    const edited = await call(kafkaConnectionRoute.PUT, 'PUT', `/api/connections/kafka/${id}`, { id }, sasl({ name: 'prod-kafka', saslPassword: '', brokers: ['broker-2.example.com:9093'] }));
    expect(edited.body.connection).toMatchObject({ brokers: ['broker-2.example.com:9093'], saslPasswordSet: true });
    const row = await database.db.kafkaConnection.findUniqueOrThrow({ where: { id } });
    expect(decryptSecret(row.saslPasswordEnc!, secretKey())).toBe(SASL_PASSWORD);
  });

  it('refuses SASL without a username with a 422 naming the field', async () => {
    const { status, body } = await call(kafkaConnectionsRoute.POST, 'POST', '/api/connections/kafka', none, sasl({ saslUsername: '' }));
    expect(status).toBe(422);
    expect(body.error.issues.map((issue: { field: string }) => issue.field)).toEqual(['saslUsername']);
  });

  it('refuses to delete the connection a connector uses, naming it', async () => {
    const id = ids.kafkaConnectionId;
    await createConnector(database.db, gameplayConnectorDefinition(ids, { name: 'gameplay-in-use' }), 'test');
    const { status, body } = await call(kafkaConnectionRoute.DELETE, 'DELETE', `/api/connections/kafka/${id}`, { id });
    expect(status).toBe(409);
    expect(body.error.message).toContain('connector "gameplay-in-use" uses it');
  });

  it('tests a saved connection by listing its topics', async () => {
    const topic = uniqueName('conntest');
    await createTopic(topic, 1);
    const id = ids.kafkaConnectionId;
    const { status, body } = await call(kafkaTestRoute.POST, 'POST', `/api/connections/kafka/${id}/test`, { id });
    expect(status).toBe(200);
    expect(body.test.ok).toBe(true);
    expect(body.test.topics).toContain(topic);
    expect(body.test.message).toContain(kafkaBrokers()[0]);
  });

  it('says in words, without socket details, when the brokers cannot be reached', async () => {
    const { body } = await call(kafkaDraftTestRoute.POST, 'POST', '/api/connections/kafka/test', none, { connection: { name: 'draft', brokers: ['127.0.0.1:1'] } });
    expect(body.test.ok).toBe(false);
    expect(body.test.message).toMatch(/127\.0\.0\.1:1/);
    expect(body.test.message).not.toMatch(/ECONNREFUSED|connect E|Error:/);
  }, 30_000);
});
