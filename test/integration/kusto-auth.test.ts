import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { DataFormat, IngestionProperties } from 'azure-kusto-ingest';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startKustoEngine, type KustoEngine } from '../../engine/server';
import { createKustoClients, type KustoClients, type KustoConnectionRecord } from '../../lib/kusto/kusto-clients';
import { describeKustoAuthError } from '../../lib/kusto/kusto-auth-error';
import { isTransientTargetError } from '../../lib/kusto/target-errors';
import { encryptSecret } from '../../lib/secrets';
import { createKafkaConnection, createKustoConnection } from '../../lib/connections/save-connections';
import { getConnector } from '../../lib/connectors/read-connectors';
import { createConnector } from '../../lib/connectors/save-connector';
import { gameplayConnectorDefinition, REFERENCE_EVENTS, toKafkaMessage } from '../../lib/demo/gameplay';
import type { Supervisor } from '../../worker/supervisor';
import { ensureLoopbackTls } from '../../services/loopback-certificate';
import { createTestDatabase, createTopic, kafkaBrokers, produce, startSupervisor, uniqueName, waitFor, type TestDatabase } from '../support/harness';
import { startOidcProvider, type OidcProvider } from '../../services/oidc-provider';

const AUDIENCE = 'api://kastor-local-kusto';
const DATABASE = 'Telemetry';
const ADMIN = { appId: randomUUID(), secret: randomUUID() };
const INGESTOR = { appId: randomUUID(), secret: randomUUID() };
const CERTIFICATE_APP = randomUUID();

let provider: OidcProvider;
let engine: KustoEngine;
let dataDir: string;
let certificatePem: string;
const opened: KustoClients[] = [];

function connection(overrides: Partial<KustoConnectionRecord>): KustoConnectionRecord {
  return {
    clusterUrl: engine.url,
    ingestUrl: engine.url,
    authKind: 'APPLICATION_KEY',
    tenantId: provider.tenantId,
    appId: null,
    appKeyEnc: null,
    certificatePemEnc: null,
    sendX5c: false,
    managedIdentityClientId: null,
    tokenFilePath: null,
    principalRole: 'ADMIN',
    ...overrides,
  };
}

function clientsFor(overrides: Partial<KustoConnectionRecord>): KustoClients {
  const clients = createKustoClients(connection(overrides), inject('secretKey'));
  opened.push(clients);
  return clients;
}

function appKeyClients(app: { appId: string; secret: string }): KustoClients {
  return clientsFor({ appId: app.appId, appKeyEnc: encryptSecret(app.secret, inject('secretKey')) });
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the Kusto call to fail');
}

async function rows(clients: KustoClients, csl: string): Promise<Record<string, unknown>[]> {
  const response = await clients.query.execute(DATABASE, csl);
  return [...response.primaryResults[0].rows()].map((row) => row.toJSON());
}

function ingest(clients: KustoClients, line: string): Promise<unknown> {
  return clients.streamingIngest.ingestFromStream(Readable.from([Buffer.from(line)]), new IngestionProperties({ database: DATABASE, table: 'Events', format: DataFormat.CSV }));
}

beforeAll(async () => {
  const tls = await ensureLoopbackTls(inject('loopbackTlsDir'));
  // The application's certificate and key in one PEM, as a connection stores it.
  const appKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
  certificatePem = await selfSignedCertificatePem(appKey.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  provider = await startOidcProvider({
    tls,
    resources: [AUDIENCE],
    applications: [
      { clientId: ADMIN.appId, clientSecret: ADMIN.secret, displayName: 'Kastor admin' },
      { clientId: INGESTOR.appId, clientSecret: INGESTOR.secret, displayName: 'Kastor ingestor' },
      { clientId: CERTIFICATE_APP, certificatePem, displayName: 'Kastor certificate app' },
    ],
  });
  dataDir = await mkdtemp(path.join(tmpdir(), 'kusto-auth-test-'));
  engine = await startKustoEngine({
    dataDir,
    port: 0,
    auth: {
      loginEndpoint: provider.url,
      issuer: provider.issuer,
      jwksUrl: provider.jwksUri,
      audience: AUDIENCE,
      principals: [
        { appId: ADMIN.appId, roles: ['admin'], displayName: 'Kastor admin' },
        { appId: INGESTOR.appId, roles: ['ingestor'], displayName: 'Kastor ingestor' },
        { appId: CERTIFICATE_APP, roles: ['viewer'] },
      ],
    },
  });
});

afterAll(async () => {
  for (const clients of opened) clients.close();
  await engine?.close();
  await provider?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** A certificate for the application's key, signed by that key (what `az ad sp credential reset --create-cert` makes). */
async function selfSignedCertificatePem(privateKeyPem: string): Promise<string> {
  const forge = (await import('node-forge')).default;
  const key = forge.pki.privateKeyFromPem(privateKeyPem);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 86_400_000);
  cert.setSubject([{ name: 'commonName', value: 'kastor-test-app' }]);
  cert.setIssuer([{ name: 'commonName', value: 'kastor-test-app' }]);
  cert.sign(key, forge.md.sha256.create());
  return `${forge.pki.certificateToPem(cert)}${privateKeyPem}`;
}

describe('Kusto authentication against a real token server', () => {
  it('signs in with an application key: commands, a query and a streaming ingest succeed', async () => {
    const admin = appKeyClients(ADMIN);
    await admin.query.execute(DATABASE, '.create-merge table Events (Name: string, Value: long)');
    await admin.query.execute(DATABASE, '.alter table Events policy streamingingestion enable');
    await ingest(admin, 'first,1');
    expect(await rows(admin, 'Events | summarize n = count()')).toEqual([{ n: 1 }]);
  });

  it('a wrong secret fails once, permanently, naming the tenant, the app id and the token server reason', async () => {
    const wrong = appKeyClients({ appId: ADMIN.appId, secret: 'not-the-secret' });
    const error = await failure(wrong.query.execute(DATABASE, 'Events | count'));
    expect(isTransientTargetError(error)).toBe(false);
    const message = describeKustoAuthError(error, connection({ appId: ADMIN.appId }));
    expect(message).toContain(provider.tenantId);
    expect(message).toContain(ADMIN.appId);
    expect(message).toContain('invalid secret provided');
    expect(message).not.toContain('not-the-secret');
  });

  it('an application certificate signs in with a private_key_jwt assertion', async () => {
    const viewer = clientsFor({ authKind: 'APPLICATION_CERTIFICATE', appId: CERTIFICATE_APP, certificatePemEnc: encryptSecret(certificatePem, inject('secretKey')), sendX5c: true });
    expect(await rows(viewer, 'Events | summarize n = count()')).toEqual([{ n: 1 }]);
  });

  it('refuses a request without a token, and a token signed by another key, with 401', async () => {
    const body = JSON.stringify({ db: DATABASE, csl: '.show tables' });
    const anonymous = await fetch(`${engine.url}/v1/rest/mgmt`, { method: 'POST', body, headers: { 'Content-Type': 'application/json' } });
    expect(anonymous.status).toBe(401);

    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const forged = await new SignJWT({ appid: ADMIN.appId, tid: provider.tenantId })
      .setProtectedHeader({ alg: 'RS256', kid: 'forged' })
      .setIssuer(provider.issuer)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(privateKey);
    const refused = await fetch(`${engine.url}/v1/rest/mgmt`, { method: 'POST', body, headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${forged}` } });
    expect(refused.status).toBe(401);
    const error = ((await refused.json()) as { error: { code: string; '@permanent': boolean } }).error;
    expect(error).toMatchObject({ code: 'Unauthorized', '@permanent': true });
  });

  it("an ingestor may ingest but its .create table is 403, and the admin sees the refusal in .show commands", async () => {
    const ingestor = appKeyClients(INGESTOR);
    await ingest(ingestor, 'second,2');
    const error = await failure(ingestor.query.execute(DATABASE, '.create table Secrets (Value: string)'));
    expect(isTransientTargetError(error)).toBe(false);
    const refusal = error as { response: { status: number; data: { error: { code: string; '@message': string } } } };
    expect(refusal.response.status).toBe(403);
    expect(refusal.response.data.error['@message']).toBe(
      `Principal 'aadapp=${INGESTOR.appId};${provider.tenantId}' is not authorized to perform operation 'TableCreateCommand' on database '${DATABASE}'.`,
    );
    expect(describeKustoAuthError(error, connection({ appId: INGESTOR.appId }))).toContain('is not authorized to perform operation');
    // "without access to query the data" (ADX's ingestor role).
    expect(await failure(ingestor.query.execute(DATABASE, 'Events | count'))).toMatchObject({ response: { status: 403 } });

    const admin = appKeyClients(ADMIN);
    const commands = await rows(admin, '.show commands');
    const refused = commands.filter((command) => command.Principal === `aadapp=${INGESTOR.appId};${provider.tenantId}`);
    expect(refused).toEqual([
      expect.objectContaining({ CommandType: 'TableCreate', Text: '.create table Secrets (Value: string)', Database: DATABASE, State: 'Failed', User: 'Kastor ingestor' }),
    ]);
    expect(commands.filter((command) => command.Principal?.toString().includes(ADMIN.appId)).map((command) => command.CommandType)).toEqual(
      expect.arrayContaining(['TableCreateMerge', 'TablePolicyAlter']),
    );
    expect(await rows(admin, 'Events | summarize n = count()')).toEqual([{ n: 2 }]);
  });

  it('.show database principals lists every role as ADX names it; an ingestor-only principal may not read it', async () => {
    const principals = await rows(appKeyClients(ADMIN), `.show database ${DATABASE} principals`);
    expect(principals).toEqual(
      expect.arrayContaining([
        { Role: `Database ${DATABASE} Admin`, PrincipalType: 'AAD Application', PrincipalDisplayName: 'Kastor admin', PrincipalObjectId: ADMIN.appId, PrincipalFQN: `aadapp=${ADMIN.appId};${provider.tenantId}`, Notes: '' },
        expect.objectContaining({ Role: `Database ${DATABASE} Ingestor`, PrincipalFQN: `aadapp=${INGESTOR.appId};${provider.tenantId}` }),
        expect.objectContaining({ Role: `Database ${DATABASE} Viewer`, PrincipalFQN: `aadapp=${CERTIFICATE_APP};${provider.tenantId}` }),
      ]),
    );
    expect(await failure(appKeyClients(INGESTOR).query.execute(DATABASE, `.show database ${DATABASE} principals`))).toMatchObject({ response: { status: 403 } });
  });
});

describe('a connector whose Kusto connection signs in with an application key', () => {
  let database: TestDatabase;
  let supervisor: Supervisor;
  let kafkaConnectionId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    kafkaConnectionId = (await createKafkaConnection(database.db, { name: 'auth-kafka', brokers: kafkaBrokers() }, inject('secretKey'))).id;
    supervisor = startSupervisor(database, 'auth-worker');
    await supervisor.start();
  });

  afterAll(async () => {
    await supervisor?.stop();
    await database?.drop();
  });

  async function connectorThrough(secret: string, name: string): Promise<{ connectorId: string; topic: string }> {
    const kusto = await createKustoConnection(
      database.db,
      { name, clusterUrl: engine.url, authKind: 'APPLICATION_KEY', tenantId: provider.tenantId, appId: ADMIN.appId, appKey: secret },
      inject('secretKey'),
    );
    const topic = uniqueName('auth');
    await createTopic(topic, 1);
    const connector = await createConnector(
      database.db,
      gameplayConnectorDefinition(
        { kafkaConnectionId, kustoConnectionId: kusto.id },
        { name: name.toLowerCase(), source: { topics: [topic], startFrom: 'earliest' }, target: { ...gameplayConnectorDefinition({ kafkaConnectionId, kustoConnectionId: kusto.id }).target, database: DATABASE } },
      ),
      'test',
    );
    return { connectorId: connector.id, topic };
  }

  it('ingests with the right secret', async () => {
    const { topic } = await connectorThrough(ADMIN.secret, 'right-secret');
    await produce(topic, REFERENCE_EVENTS.map(toKafkaMessage));
    await waitFor(async () => expect(await rows(appKeyClients(ADMIN), 'GamePlay | summarize n = count()')).toEqual([{ n: 4 }]), { timeoutMs: 30_000 });
  });

  it('with a wrong secret is FAILED after one attempt with the token server reason, and not retried', async () => {
    const { connectorId } = await connectorThrough('not-the-secret', 'wrong-secret');
    const failed = await waitFor(async () => {
      const view = await getConnector(database.db, connectorId);
      expect(view.actualState).toBe('FAILED');
      return view;
    }, { timeoutMs: 30_000 });
    expect(failed.lastError).toContain(provider.tenantId);
    expect(failed.lastError).toContain(ADMIN.appId);
    expect(failed.lastError).toMatch(/invalid secret/);
    expect(failed.lastError).not.toContain('not-the-secret');
    const share = async () => (await database.db.connectorAssignment.findFirstOrThrow({ where: { connectorId } })).updatedAt.getTime();
    const before = await share();
    // Three polls later the worker has not tried again: a refused sign-in waits for a change or a restart.
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    expect(await share()).toBe(before);
  });
});
