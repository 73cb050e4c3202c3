import path from 'node:path';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as connectionRoute from '../../app/api/connections/kafka/[id]/route';
import * as testSavedRoute from '../../app/api/connections/kafka/[id]/test/route';
import * as topicsRoute from '../../app/api/connections/kafka/[id]/topics/route';
import * as sampleRoute from '../../app/api/connections/kafka/[id]/topics/[topic]/sample/route';
import * as connectionsRoute from '../../app/api/connections/kafka/route';
import * as testDraftRoute from '../../app/api/connections/kafka/test/route';
import { createConnector } from '../../lib/connectors/save-connector';
import { gameplayConnectorDefinition, REFERENCE_EVENTS, toKafkaMessage } from '../../lib/demo/gameplay';
import { startKafka, type RunningKafka, type SecuredListeners } from '../../services/kafka';
import type { Supervisor } from '../../worker/supervisor';
import {
  createTestDatabase,
  kustoCount,
  runDir,
  seedConnections,
  startSupervisor,
  startTestEngine,
  uniqueName,
  useWebRoutes,
  waitFor,
  type TestDatabase,
  type TestEngine,
} from '../support/harness';
import { jsonRequest, noParams, readJson, routeParams } from '../support/route-requests';

/**
 * A broker of its own that requires SASL_SSL (PLAIN and SCRAM-SHA-512 users) or mutual TLS,
 * certificates made at start. Through each listener: the wizard's connection test and topic
 * list, the sampler, and a connector that ingests; wrong credentials are refused in words that
 * name the mechanism.
 */
let kafka: RunningKafka;
let secured: SecuredListeners;
let database: TestDatabase;
let engine: TestEngine;
let kustoConnectionId: string;
let supervisor: Supervisor;
const topic = uniqueName('secured');

beforeAll(async () => {
  kafka = await startKafka({ dataDir: path.join(runDir(), `secured-kafka-${Date.now()}`), secured: true });
  secured = kafka.secured!;
  const admin = new Kafka({ clientId: 'secured-setup', brokers: kafka.brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
  await admin.disconnect();
  const producer = new Kafka({ clientId: 'secured-setup', brokers: kafka.brokers, logLevel: logLevel.NOTHING }).producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  await producer.send({ topic, messages: Array.from({ length: 12 }, (_, i) => toKafkaMessage({ ...REFERENCE_EVENTS[i % 4], playerId: i })) });
  await producer.disconnect();

  database = await createTestDatabase();
  await useWebRoutes(database, { KASTOR_KAFKA_ALLOWED_BROKERS: '127.0.0.1' });
  engine = await startTestEngine();
  ({ kustoConnectionId } = await seedConnections(database.db, engine.url));
  supervisor = startSupervisor(database, 'secured-worker');
  await supervisor.start();
});

afterAll(async () => {
  await supervisor?.stop();
  await engine?.close();
  await database?.drop();
  await kafka?.stop();
});

function variants() {
  return [
    {
      label: 'SASL_SSL PLAIN',
      table: 'ViaSaslPlain',
      connection: { brokers: secured.saslSsl, securityProtocol: 'SASL_SSL', saslMechanism: 'PLAIN', saslUsername: secured.users.plain.username, saslPassword: secured.users.plain.password, tlsCaPem: secured.caPem },
    },
    {
      label: 'SASL_SSL SCRAM-SHA-512',
      table: 'ViaSaslScram',
      connection: { brokers: secured.saslSsl, securityProtocol: 'SASL_SSL', saslMechanism: 'SCRAM-SHA-512', saslUsername: secured.users.scram.username, saslPassword: secured.users.scram.password, tlsCaPem: secured.caPem },
    },
    {
      label: 'SSL with a client certificate (mTLS)',
      table: 'ViaMutualTls',
      connection: { brokers: secured.mtls, securityProtocol: 'SSL', tlsCaPem: secured.caPem, tlsClientCertPem: secured.client.certPem, tlsClientKeyPem: secured.client.keyPem },
    },
  ] as const;
}

describe('secured brokers', () => {
  for (const index of [0, 1, 2]) {
    it(`${['SASL_SSL PLAIN', 'SASL_SSL SCRAM-SHA-512', 'mTLS'][index]}: the wizard lists topics, the sampler reads, a connector ingests`, async () => {
      const variant = variants()[index];
      const created = await readJson(await connectionsRoute.POST(jsonRequest('POST', '/api/connections/kafka', { name: variant.table, ...variant.connection }), noParams));
      expect(created.status).toBe(201);
      const id: string = created.body.connection.id;
      // Secrets never come back: the password and the client key only as "set".
      const { body: read } = await readJson(await connectionRoute.GET(jsonRequest('GET', `/api/connections/kafka/${id}`), routeParams({ id })));
      const text = JSON.stringify(read);
      expect(text).not.toContain('PRIVATE KEY');
      if ('saslPassword' in variant.connection) expect(text).not.toContain(variant.connection.saslPassword);
      expect(read.connection).toMatchObject({ securityProtocol: variant.connection.securityProtocol, tlsCaPem: secured.caPem.trim(), tlsClientKeySet: index === 2 });

      const tested = await readJson(await testSavedRoute.POST(jsonRequest('POST', `/api/connections/kafka/${id}/test`, {}), routeParams({ id })));
      expect(tested.body.test).toMatchObject({ ok: true, topics: [topic] });
      const listed = await readJson(await topicsRoute.GET(jsonRequest('GET', `/api/connections/kafka/${id}/topics`), routeParams({ id })));
      expect(listed.body.topics).toEqual([expect.objectContaining({ name: topic, partitions: 2, messages: 12 })]);
      const sampled = await readJson(await sampleRoute.GET(jsonRequest('GET', `/api/connections/kafka/${id}/topics/${topic}/sample?limit=5`), routeParams({ id, topic })));
      expect(sampled.status).toBe(200);
      expect(sampled.body.messages).toHaveLength(5);
      expect(sampled.body.format).toBe('json');

      await createConnector(
        database.db,
        gameplayConnectorDefinition(
          { kafkaConnectionId: id, kustoConnectionId },
          { name: variant.table.toLowerCase(), source: { topics: [topic], startFrom: 'earliest' }, target: { ...gameplayConnectorDefinition({ kafkaConnectionId: id, kustoConnectionId }).target!, table: variant.table } },
        ),
        'test',
      );
      await waitFor(async () => expect(await kustoCount(engine.url, 'gamesdb', variant.table)).toBe(12), { timeoutMs: 90_000 });
    });
  }

  it('wrong credentials are refused in words naming the mechanism; mTLS without a certificate names the client certificate', async () => {
    const [plain, scram, mtls] = variants();
    for (const [variant, mechanism] of [
      [plain, 'PLAIN'],
      [scram, 'SCRAM-SHA-512'],
    ] as const) {
      const draft = { name: 'wrong', ...variant.connection, saslPassword: 'not-the-password' };
      const { body } = await readJson(await testDraftRoute.POST(jsonRequest('POST', '/api/connections/kafka/test', { connection: draft }), noParams));
      expect(body.test.ok).toBe(false);
      expect(body.test.message).toBe(`The brokers refused the SASL ${mechanism} credentials of "${variant.connection.saslUsername}".`);
      expect(body.test.message).not.toContain('not-the-password');
    }
    // A saved connection whose password has changed on the brokers: the sampler says so too.
    const created = await readJson(await connectionsRoute.POST(jsonRequest('POST', '/api/connections/kafka', { name: 'stale-password', ...scram.connection, saslPassword: 'rotated-away' }), noParams));
    const id: string = created.body.connection.id;
    const sampled = await readJson(await sampleRoute.GET(jsonRequest('GET', `/api/connections/kafka/${id}/topics/${topic}/sample?limit=5`), routeParams({ id, topic })));
    expect(sampled.status).toBe(502);
    expect(sampled.body.error.message).toBe(`Reading messages of topic "${topic}" failed: The brokers refused the SASL SCRAM-SHA-512 credentials: check the user name and password.`);

    const { tlsClientCertPem: _cert, tlsClientKeyPem: _key, ...withoutCertificate } = mtls.connection;
    const { body } = await readJson(await testDraftRoute.POST(jsonRequest('POST', '/api/connections/kafka/test', { connection: { name: 'no-cert', ...withoutCertificate } }), noParams));
    expect(body.test.ok).toBe(false);
    expect(body.test.message).toMatch(/refused the client certificate \(mutual TLS\)/);

    const invalid = await readJson(await connectionsRoute.POST(jsonRequest('POST', '/api/connections/kafka', { name: 'half-mtls', ...mtls.connection, tlsClientKeyPem: undefined }), noParams));
    expect(invalid.status).toBe(422);
    expect(invalid.body.error.issues).toEqual([{ field: 'tlsClientKeyPem', message: 'is required with a client certificate' }]);
  });
});
