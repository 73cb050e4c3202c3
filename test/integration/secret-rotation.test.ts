import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startKustoEngine, type KustoEngine } from '../../engine/server';
import { rotateSecretKey } from '../../lib/connections/rotate-secret-key';
import { createKafkaConnection, createKustoConnection } from '../../lib/connections/save-connections';
import { getConnector } from '../../lib/connectors/read-connectors';
import { createConnector } from '../../lib/connectors/save-connector';
import { gameplayConnectorDefinition, REFERENCE_EVENTS, toKafkaMessage } from '../../lib/demo/gameplay';
import { decryptSecret, encryptSecret, keyIdOf, SecretKeyMismatchError, secretKeyId } from '../../lib/secrets';
import { ensureLoopbackTls } from '../../services/loopback-certificate';
import { startOidcProvider, type OidcProvider } from '../../services/oidc-provider';
import { Supervisor } from '../../worker/supervisor';
import { createTestDatabase, createTopic, kafkaBrokers, produce, uniqueName, waitFor, type TestDatabase } from '../support/harness';

/**
 * Rotating KASTOR_SECRET_KEY: every stored secret is re-encrypted under the new key (ciphertexts
 * name their key), a worker started with only the new key still signs in to its Kusto cluster,
 * and the old key decrypts nothing that is stored.
 */
const OLD_KEY = randomBytes(32).toString('base64');
const NEW_KEY = randomBytes(32).toString('base64');
const AUDIENCE = 'api://kastor-rotation-kusto';
const DATABASE = 'Rotated';
const APP = { appId: randomUUID(), secret: randomBytes(24).toString('base64url') };

let provider: OidcProvider;
let engine: KustoEngine;
let engineDir: string;
let database: TestDatabase;
let supervisor: Supervisor | undefined;

async function storedCiphertexts(): Promise<string[]> {
  const rows = await database.db.$queryRawUnsafe<{ value: string }[]>(
    `SELECT "saslPasswordEnc" AS value FROM "KafkaConnection" WHERE "saslPasswordEnc" IS NOT NULL
     UNION ALL SELECT "appKeyEnc" FROM "KustoConnection" WHERE "appKeyEnc" IS NOT NULL`,
  );
  return rows.map((row) => row.value);
}

beforeAll(async () => {
  provider = await startOidcProvider({ tls: await ensureLoopbackTls(inject('loopbackTlsDir')), resources: [AUDIENCE], applications: [{ clientId: APP.appId, clientSecret: APP.secret }] });
  engineDir = await mkdtemp(path.join(tmpdir(), 'kastor-rotation-'));
  engine = await startKustoEngine({
    dataDir: engineDir,
    port: 0,
    auth: { loginEndpoint: provider.url, issuer: provider.issuer, jwksUrl: provider.jwksUri, audience: AUDIENCE, principals: [{ appId: APP.appId, roles: ['admin'] }] },
  });
  database = await createTestDatabase();
});

afterAll(async () => {
  await supervisor?.stop();
  await engine?.close();
  await provider?.close();
  await database?.drop();
  if (engineDir) await rm(engineDir, { recursive: true, force: true });
});

describe('secret key rotation', () => {
  it('re-encrypts every secret; the worker with the new key still connects; the old key decrypts nothing', async () => {
    const kafka = await createKafkaConnection(
      database.db,
      { name: 'rotated-kafka', brokers: kafkaBrokers(), securityProtocol: 'SASL_PLAINTEXT', saslMechanism: 'PLAIN', saslUsername: 'u', saslPassword: 'sasl-secret' },
      OLD_KEY,
    );
    // The run's broker speaks PLAINTEXT; the SASL password is stored only to be rotated.
    const plainKafka = await createKafkaConnection(database.db, { name: 'plain-kafka', brokers: kafkaBrokers() }, OLD_KEY);
    const kusto = await createKustoConnection(
      database.db,
      { name: 'rotated-kusto', clusterUrl: engine.url, authKind: 'APPLICATION_KEY', tenantId: provider.tenantId, appId: APP.appId, appKey: APP.secret },
      OLD_KEY,
    );
    // A secret stored before ciphertexts named their key (the v1 form) is rotated too.
    await database.db.kafkaConnection.create({ data: { name: 'legacy-kafka', brokers: kafkaBrokers(), securityProtocol: 'SASL_PLAINTEXT', saslMechanism: 'PLAIN', saslUsername: 'u', saslPasswordEnc: encryptSecret('legacy', OLD_KEY).replace(/^v2:[0-9a-f]+:/, 'v1:') } });
    expect((await storedCiphertexts()).map(keyIdOf)).toEqual(expect.arrayContaining([secretKeyId(OLD_KEY), null]));

    expect(await rotateSecretKey(database.db, { currentKey: NEW_KEY, previousKey: OLD_KEY })).toEqual({ rotated: 3 });
    // Run again (a crash after the commit, a second web process): nothing left to do.
    expect(await rotateSecretKey(database.db, { currentKey: NEW_KEY, previousKey: OLD_KEY })).toEqual({ rotated: 0 });

    const ciphertexts = await storedCiphertexts();
    expect(ciphertexts).toHaveLength(3);
    for (const stored of ciphertexts) {
      expect(keyIdOf(stored)).toBe(secretKeyId(NEW_KEY));
      expect(() => decryptSecret(stored, OLD_KEY)).toThrow(SecretKeyMismatchError);
    }
    expect(ciphertexts.map((stored) => decryptSecret(stored, NEW_KEY)).sort()).toEqual([APP.secret, 'legacy', 'sasl-secret'].sort());
    expect((await database.db.kafkaConnection.findUniqueOrThrow({ where: { id: kafka.id } })).saslPasswordEnc).not.toContain('sasl-secret');

    const topic = uniqueName('rotated');
    await createTopic(topic, 1);
    const ids = { kafkaConnectionId: plainKafka.id, kustoConnectionId: kusto.id };
    const connector = await createConnector(
      database.db,
      gameplayConnectorDefinition(ids, { name: 'rotated', source: { topics: [topic], startFrom: 'earliest' }, target: { ...gameplayConnectorDefinition(ids).target, database: DATABASE }, ingestion: { mode: 'streaming' } }),
      'test',
    );
    supervisor = new Supervisor({ db: database.db, databaseUrl: database.url, secretKey: NEW_KEY, workerId: 'rotated', pollIntervalMs: 1_000, metricsIntervalMs: 500, metricsRetentionHours: 24, log: () => undefined });
    await supervisor.start();
    await produce(topic, REFERENCE_EVENTS.map(toKafkaMessage));
    await waitFor(async () => expect((await getConnector(database.db, connector.id)).rowsWritten).toBe(4), { timeoutMs: 45_000 });
  });
});
