import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as kafkaConnectionsRoute from '../../app/api/connections/kafka/route';
import * as kafkaDraftTestRoute from '../../app/api/connections/kafka/test/route';
import * as topicsRoute from '../../app/api/connections/kafka/[id]/topics/route';
import * as kustoConnectionsRoute from '../../app/api/connections/kusto/route';
import * as kustoDraftTestRoute from '../../app/api/connections/kusto/test/route';
import * as kustoSavedTestRoute from '../../app/api/connections/kusto/[id]/test/route';
import { brokerProblem, kustoEndpointProblem, type OutboundPolicy } from '../../lib/connections/outbound-policy';
import { createTestDatabase, kafkaBrokers, startTestEngine, useWebRoutes, type TestDatabase, type TestEngine } from '../support/harness';
import { jsonRequest, noParams, readJson, routeParams } from '../support/route-requests';

/**
 * SSRF: the validators, as functions (nothing but loopback is ever dialled in a test), and end to
 * end: with the allow-list naming only the engine, a connection to another loopback port is
 * refused before a socket is opened — a listener there counts every connection it receives.
 */
const STRICT: OutboundPolicy = { kustoAllowed: [], kafkaAllowedBrokers: null };

describe('the Kusto endpoint validator', () => {
  it('accepts https on the SDK trusted Kusto domains: public, Fabric, Synapse, sovereign clouds', () => {
    for (const url of [
      'https://mycluster.westeurope.kusto.windows.net',
      'https://ingest-mycluster.westeurope.kusto.windows.net',
      'https://trd-abc.z0.kusto.fabric.microsoft.com',
      'https://myws.kusto.azuresynapse.net',
      'https://mycluster.kusto.usgovcloudapi.net',
      'https://mycluster.kusto.chinacloudapi.cn',
    ]) {
      expect({ url, problem: kustoEndpointProblem(url, STRICT) }).toEqual({ url, problem: null });
    }
  });

  it('refuses file:, gopher:, data:, user info, http, IP literals (link-local, private), untrusted hosts', () => {
    const refused: [string, RegExp][] = [
      ['file:///etc/passwd', /https/],
      ['gopher://127.0.0.1:6379/_INFO', /https/],
      ['data:text/plain,hello', /https/],
      ['https://admin:secret@mycluster.westeurope.kusto.windows.net', /user name or password/],
      ['http://mycluster.westeurope.kusto.windows.net', /must be https/],
      ['https://169.254.169.254/metadata', /not an IP address/],
      ['https://10.0.0.5', /not an IP address/],
      ['https://[fe80::1]', /not an IP address/],
      ['https://attacker.example', /trusted Kusto domain/],
      ['https://kusto.windows.net.attacker.example', /trusted Kusto domain/],
      ['http://127.0.0.1:18080', /must be https/],
    ];
    for (const [url, reason] of refused) expect(kustoEndpointProblem(url, STRICT), url).toMatch(reason);
  });

  it('allows exactly the configured origins and host patterns', () => {
    const policy: OutboundPolicy = { kustoAllowed: ['http://127.0.0.1:18080', '*.contoso.com'], kafkaAllowedBrokers: null };
    expect(kustoEndpointProblem('http://127.0.0.1:18080', policy)).toBeNull();
    expect(kustoEndpointProblem('http://127.0.0.1:18081', policy)).toMatch(/must be https/);
    expect(kustoEndpointProblem('https://adx.contoso.com', policy)).toBeNull();
    expect(kustoEndpointProblem('http://adx.contoso.com', policy)).toMatch(/must be https/);
  });
});

describe('the Kafka broker validator', () => {
  it('refuses port 99999, malformed addresses, and loopback, private and link-local literals unless named', () => {
    const refused: [string, RegExp][] = [
      ['kafka.example.com:99999', /port between 1 and 65535/],
      ['kafka.example.com:0', /port between 1 and 65535/],
      ['kafka.example.com', /host:port/],
      ['http://kafka.example.com:9092', /host:port/],
      ['169.254.169.254:9092', /link-local/],
      ['10.1.2.3:9092', /private/],
      ['192.168.0.10:9092', /private/],
      ['127.0.0.1:9092', /loopback/],
      ['localhost:9092', /loopback/],
      ['[fe80::1]:9092', /link-local/],
      ['[::ffff:10.0.0.1]:9092', /private/],
    ];
    for (const [broker, reason] of refused) expect(brokerProblem(broker, STRICT), broker).toMatch(reason);
    expect(brokerProblem('kafka-1.example.com:9093', STRICT)).toBeNull();
    expect(brokerProblem('[2001:db8::1]:9092', STRICT)).toBeNull();
  });

  it('with an allow-list: only what it names; patterns never admit internal addresses', () => {
    const policy: OutboundPolicy = { kustoAllowed: [], kafkaAllowedBrokers: ['127.0.0.1:19092', '*.confluent.cloud:9092', '*'] };
    expect(brokerProblem('127.0.0.1:19092', policy)).toBeNull();
    expect(brokerProblem('127.0.0.1:19093', policy)).toMatch(/not in KASTOR_KAFKA_ALLOWED_BROKERS/);
    expect(brokerProblem('pkc-1.westeurope.azure.confluent.cloud:9092', policy)).toBeNull();
    expect(brokerProblem('kafka.example.com:9092', policy)).toBeNull();
    expect(brokerProblem('10.0.0.1:9092', policy)).toMatch(/not in KASTOR_KAFKA_ALLOWED_BROKERS/);
    const strict: OutboundPolicy = { kustoAllowed: [], kafkaAllowedBrokers: ['kafka-1.prod.internal:9092'] };
    expect(brokerProblem('kafka.example.com:9092', strict)).toMatch(/not in KASTOR_KAFKA_ALLOWED_BROKERS/);
  });
});

describe('end to end, with the allow-list set to the engine and the run broker', () => {
  let database: TestDatabase;
  let engine: TestEngine;
  let listener: net.Server;
  let port: number;
  let accepted = 0;

  beforeAll(async () => {
    database = await createTestDatabase();
    engine = await startTestEngine();
    await useWebRoutes(database, { KASTOR_KUSTO_ALLOWED_URLS: engine.url, KASTOR_KAFKA_ALLOWED_BROKERS: kafkaBrokers().join(',') });
    listener = net.createServer((socket) => {
      accepted += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    port = (listener.address() as net.AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => listener?.close(() => resolve()));
    await engine?.close();
    await database?.drop();
  });

  it('refuses a Kusto connection to another loopback port, to test or to save, before any socket is opened', async () => {
    const other = `http://127.0.0.1:${port}`;
    const test = await readJson(await kustoDraftTestRoute.POST(jsonRequest('POST', '/api/connections/kusto/test', { connection: { name: 'x', clusterUrl: other }, database: 'db' }), noParams));
    expect(test.status).toBe(422);
    expect(test.body.error.issues).toEqual([expect.objectContaining({ field: 'connection.clusterUrl', message: expect.stringMatching(/must be https/) })]);
    const save = await readJson(await kustoConnectionsRoute.POST(jsonRequest('POST', '/api/connections/kusto', { name: 'x', clusterUrl: other }), noParams));
    expect(save.status).toBe(422);
    expect(save.body.error.issues[0].field).toBe('clusterUrl');
    const ingest = await readJson(await kustoConnectionsRoute.POST(jsonRequest('POST', '/api/connections/kusto', { name: 'y', clusterUrl: engine.url, ingestUrl: other }), noParams));
    expect(ingest.body.error.issues[0].field).toBe('ingestUrl');

    // A connection stored before the policy tightened is refused when it would be dialled.
    const stored = await database.db.kustoConnection.create({ data: { name: 'stored-elsewhere', clusterUrl: other } });
    const saved = await kustoSavedTestRoute.POST(jsonRequest('POST', `/api/connections/kusto/${stored.id}/test`, { database: 'db' }), routeParams({ id: stored.id }));
    expect(saved.status).toBe(422);

    // The engine itself is allowed and answers.
    const allowed = await readJson(await kustoDraftTestRoute.POST(jsonRequest('POST', '/api/connections/kusto/test', { connection: { name: 'x', clusterUrl: engine.url }, database: 'db' }), noParams));
    expect(allowed.status).toBe(200);
    expect(accepted).toBe(0);
  });

  it('refuses a broker on another loopback port, to test, to save and to list topics, before any socket is opened', async () => {
    const broker = `127.0.0.1:${port}`;
    const test = await readJson(await kafkaDraftTestRoute.POST(jsonRequest('POST', '/api/connections/kafka/test', { connection: { name: 'x', brokers: [broker] } }), noParams));
    expect(test.status).toBe(422);
    expect(test.body.error.issues[0]).toEqual({ field: 'connection.brokers.0', message: 'is not in KASTOR_KAFKA_ALLOWED_BROKERS' });
    const save = await readJson(await kafkaConnectionsRoute.POST(jsonRequest('POST', '/api/connections/kafka', { name: 'x', brokers: [broker] }), noParams));
    expect(save.status).toBe(422);
    const stored = await database.db.kafkaConnection.create({ data: { name: 'stored-elsewhere', brokers: [broker] } });
    expect((await topicsRoute.GET(jsonRequest('GET', `/api/connections/kafka/${stored.id}/topics`), routeParams({ id: stored.id }))).status).toBe(422);
    expect(accepted).toBe(0);
  });
});
