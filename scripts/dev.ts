import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { applyMigrations } from '../lib/db/apply-migrations';
import { createPrisma } from '../lib/db/prisma';
import { GAMEPLAY_TOPIC, produceSteadily } from '../lib/demo/gameplay';
import { seedGameplayDemo, seedLocalConnections } from '../lib/demo/seed-demo';
import { startAzurite } from '../services/azurite';
import { demoUser, ensureLocalIdentity } from '../services/local-identity';
import { ensureLoopbackTls } from '../services/loopback-certificate';
import { startOidcProvider } from '../services/oidc-provider';
import { rotateSecretKey } from '../lib/connections/rotate-secret-key';
import { ensureKafkaJars, startKafka } from '../services/kafka';
import { startPostgres } from '../services/postgres';
import { ensureSchemaRegistryJar, startSchemaRegistry } from '../services/schema-registry';
import { buildWebIfStale } from './build-web';
import { buildWorker, WORKER_PROCESS_ENV } from './build-worker';
import { startNodeService, type NodeService } from './node-service';

/**
 * `npm start`: the whole product on this machine — Postgres, Kafka, the local Kusto engine, the
 * worker and the web — with the gameplay demo and a steady producer. Ctrl-C stops it all.
 */
const root = path.resolve(import.meta.dirname, '..');
const dataDir = path.resolve(root, process.env.KASTOR_DATA_DIR ?? '.data/dev');
const logDir = path.join(dataDir, 'logs');
const webPort = Number(process.env.KASTOR_WEB_PORT ?? 3000);
const enginePort = Number(process.env.KASTOR_ENGINE_PORT ?? 18080);
const kafkaPort = Number(process.env.KASTOR_KAFKA_PORT ?? 19092);
const postgresPort = Number(process.env.KASTOR_POSTGRES_PORT ?? 54329);
/** The local OpenID provider's port; fixed by default so the authority (and signed-in sessions) outlive a restart. */
const identityPort = Number(process.env.KASTOR_IDENTITY_PORT ?? 18443);
const schemaRegistryPort = Number(process.env.KASTOR_SCHEMA_REGISTRY_PORT ?? 18081);
/** `KASTOR_SCHEMA_REGISTRY=off`: no local schema registry (a JVM of ~200 MB); Avro topics then need SCHEMA_REGISTRY_URL or a registry on the connection. */
const registryEnabled = process.env.KASTOR_SCHEMA_REGISTRY !== 'off';
const demoRate = Number(process.env.KASTOR_DEMO_EVENTS_PER_SECOND ?? 20);
/** Stop the demo producer after this long (the rest keeps running); unset = until Ctrl-C. */
const demoSeconds = process.env.KASTOR_DEMO_SECONDS ? Number(process.env.KASTOR_DEMO_SECONDS) : null;
/** `KASTOR_DEMO=off`: an empty install — only the local connections, no demo topic, connector or producer. */
const demoEnabled = process.env.KASTOR_DEMO !== 'off';

const stops: { name: string; stop: () => Promise<void> }[] = [];

async function step<T>(name: string, run: () => Promise<T>): Promise<T> {
  const started = Date.now();
  console.log(`» ${name}…`);
  const result = await run();
  console.log(`✓ ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return result;
}

async function secretKey(): Promise<string> {
  const file = path.join(root, '.data/secret.key');
  if (!existsSync(file)) {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, randomBytes(32).toString('base64'), { mode: 0o600 });
  }
  return (await readFile(file, 'utf8')).trim();
}

let stopping = false;
async function stopAll(code: number): Promise<never> {
  if (stopping) process.exit(1);
  stopping = true;
  console.log('\n» stopping…');
  for (const { name, stop } of stops.reverse()) {
    try {
      await stop();
      console.log(`✓ stopped ${name}`);
    } catch (error) {
      console.error(`✗ ${name} did not stop cleanly: ${(error as Error).message}`);
    }
  }
  process.exit(code);
}
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

function onServiceExit(service: NodeService) {
  return (code: number | null) => {
    if (stopping) return;
    console.error(`✗ ${service.name} exited unexpectedly (code ${code}); its log: ${service.logFile}`);
    void stopAll(1);
  };
}

try {
  await mkdir(logDir, { recursive: true });
  const key = await secretKey();

  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    const postgres = await step('starting Postgres', () => startPostgres({ dataDir: path.join(dataDir, 'postgres'), port: postgresPort, onProgress: (m) => console.log(`  ${m}`) }));
    stops.push({ name: 'Postgres', stop: postgres.stop });
    databaseUrl = postgres.url;
  }
  const url = databaseUrl;
  await step('applying migrations', () => applyMigrations(url, (m) => console.log(`  ${m}`)));
  // A new key with the old one beside it: every stored secret is re-encrypted before anything reads it.
  const previousKey = process.env.KASTOR_SECRET_KEY_PREVIOUS;
  if (previousKey) {
    await step('re-encrypting secrets with the new secret key', async () => {
      const rotationDb = createPrisma(url);
      try {
        const { rotated } = await rotateSecretKey(rotationDb, { currentKey: key, previousKey });
        console.log(`  ${rotated} secret${rotated === 1 ? '' : 's'} re-encrypted`);
      } finally {
        await rotationDb.$disconnect();
      }
    });
  }

  let brokers = process.env.KAFKA_BROKERS?.split(',');
  if (!brokers) {
    await step('fetching Apache Kafka (first run downloads it from Maven Central)', () => ensureKafkaJars({ onProgress: (m) => console.log(`  ${m}`) }));
    const kafka = await step('starting Kafka', () => startKafka({ dataDir: path.join(dataDir, 'kafka'), port: kafkaPort, onProgress: (m) => console.log(`  ${m}`) }));
    stops.push({ name: 'Kafka', stop: kafka.stop });
    brokers = kafka.brokers;
  }

  // Avro topics are decoded with schemas from a registry: Apicurio (Confluent-compatible API) unless given one.
  let schemaRegistryUrl = process.env.SCHEMA_REGISTRY_URL;
  if (!schemaRegistryUrl && registryEnabled) {
    await step('packaging the schema registry (first run builds it from Maven Central)', () => ensureSchemaRegistryJar({ onProgress: (m) => console.log(`  ${m}`) }));
    const registry = await step('starting the schema registry', () =>
      startSchemaRegistry({ dataDir: path.join(dataDir, 'schema-registry'), port: schemaRegistryPort, onProgress: (m) => console.log(`  ${m}`) }),
    );
    stops.push({ name: 'schema registry', stop: registry.stop });
    schemaRegistryUrl = registry.url;
  }

  let kustoUrl = process.env.KUSTO_URL;
  if (!kustoUrl) {
    // Queued ingestion needs storage, as ADX's Data Management service does: Azurite unless given one.
    let storage = process.env.AZURE_STORAGE_CONNECTION_STRING;
    if (!storage) {
      const azurite = await step('starting Azurite (storage for queued ingestion)', () =>
        startAzurite({ dataDir: path.join(dataDir, 'azurite'), inMemory: false, onProgress: (m) => console.log(`  ${m}`) }),
      );
      stops.push({ name: 'Azurite', stop: azurite.stop });
      storage = azurite.connectionString;
    }
    const engine = await step('starting the local Kusto engine', () =>
      startNodeService({
        name: 'kusto engine',
        script: path.join(root, 'engine/main.ts'),
        args: ['--data', path.join(dataDir, 'kusto'), '--port', String(enginePort)],
        env: { AZURE_STORAGE_CONNECTION_STRING: storage },
        logFile: path.join(logDir, 'engine.log'),
        readyLine: /kusto engine listening on (\S+)/,
      }),
    );
    stops.push({ name: 'Kusto engine', stop: engine.stop });
    engine.onExit(onServiceExit(engine));
    kustoUrl = engine.readyMatch![1];
  }

  const db = createPrisma(url);
  const kafkaClient = new Kafka({ clientId: 'kastor-demo', brokers, logLevel: logLevel.ERROR });
  const admin = kafkaClient.admin();
  await admin.connect();
  const services = { brokers, kustoUrl, schemaRegistryUrl };
  const demo = demoEnabled
    ? await step('creating the gameplay demo (topic, connector)', () => seedGameplayDemo(db, admin, services))
    : await step('creating the local connections', () => seedLocalConnections(db, services));
  await admin.disconnect();
  await db.$disconnect();

  // Sign-in: the local OpenID provider (https on loopback, its own CA) with the demo users, unless
  // KASTOR_AUTH_AUTHORITY points the web at Entra ID.
  const webUrl = `http://localhost:${webPort}`;
  const identity = await ensureLocalIdentity(path.join(dataDir, 'identity'));
  const tls = await ensureLoopbackTls(path.join(dataDir, 'tls'));
  let authEnv: Record<string, string> = {};
  if (!process.env.KASTOR_AUTH_AUTHORITY) {
    const provider = await step('starting the local OpenID provider (sign-in)', () =>
      startOidcProvider({
        tls,
        port: identityPort,
        tenantId: identity.tenantId,
        resources: [],
        applications: [],
        interactiveClients: [
          { clientId: identity.clientId, clientSecret: identity.clientSecret, redirectUris: [`${webUrl}/api/auth/callback`], postLogoutRedirectUris: [`${webUrl}/sign-in`] },
        ],
        users: identity.users,
      }),
    );
    stops.push({ name: 'OpenID provider', stop: provider.close });
    authEnv = {
      KASTOR_AUTH_AUTHORITY: provider.authority,
      KASTOR_AUTH_CLIENT_ID: identity.clientId,
      KASTOR_AUTH_CLIENT_SECRET: identity.clientSecret,
      KASTOR_AUTH_KNOWN_AUTHORITIES: new URL(provider.url).host,
    };
  }
  // The local services are loopback addresses, which connections may not name unless allowed.
  const outboundEnv = {
    KASTOR_KUSTO_ALLOWED_URLS: [process.env.KASTOR_KUSTO_ALLOWED_URLS, kustoUrl].filter(Boolean).join(','),
    // The local brokers by their loopback address; other brokers by host name unless an allow-list is given.
    KASTOR_KAFKA_ALLOWED_BROKERS: [...(process.env.KASTOR_KAFKA_ALLOWED_BROKERS ?? '*').split(','), ...brokers].filter(Boolean).join(','),
    KASTOR_SCHEMA_REGISTRY_ALLOWED_URLS: [process.env.KASTOR_SCHEMA_REGISTRY_ALLOWED_URLS, schemaRegistryUrl && new URL(schemaRegistryUrl).origin].filter(Boolean).join(','),
  };

  const serviceEnv = { DATABASE_URL: url, KASTOR_SECRET_KEY: key };
  const worker = await step('starting the worker', async () =>
    startNodeService({ name: 'worker', script: await buildWorker(), env: { ...serviceEnv, ...WORKER_PROCESS_ENV }, logFile: path.join(logDir, 'worker.log'), readyLine: /started/ }),
  );
  stops.push({ name: 'worker', stop: worker.stop });
  worker.onExit(onServiceExit(worker));

  // Production build + `next start` by default: no file watcher, no hot reload while the
  // services write their data; KASTOR_WEB_MODE=dev runs `next dev` for working on the UI.
  const webMode = process.env.KASTOR_WEB_MODE === 'dev' ? 'dev' : 'start';
  if (webMode === 'start') await step('preparing the web app', () => buildWebIfStale((m) => console.log(`  ${m}`)));
  const web = await step('starting the web app', () =>
    startNodeService({
      name: 'web',
      script: path.join(root, 'node_modules/next/dist/bin/next'),
      args: [webMode, '--port', String(webPort), '--hostname', '127.0.0.1'],
      env: { ...serviceEnv, ...authEnv, ...outboundEnv, KASTOR_PUBLIC_URL: webUrl, NODE_EXTRA_CA_CERTS: tls.caPath, NEXT_TELEMETRY_DISABLED: '1' },
      logFile: path.join(logDir, 'web.log'),
      readyUrl: `http://127.0.0.1:${webPort}/api/health`,
      plainNode: true,
    }),
  );
  stops.push({ name: 'web', stop: web.stop });
  web.onExit(onServiceExit(web));

  if (demoEnabled) {
    const producer = kafkaClient.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const producing = new AbortController();
    if (demoSeconds !== null) setTimeout(() => producing.abort(), demoSeconds * 1000);
    const produced = produceSteadily(producer, demoRate, producing.signal)
      .then((total) => {
        if (!stopping) console.log(`✓ demo producer finished: ${total} events`);
        return total;
      })
      .catch((error: Error) => {
        console.error(`✗ demo producer stopped: ${error.message}`);
        return 0;
      });
    stops.push({
      name: 'demo producer',
      stop: async () => {
        producing.abort();
        await produced;
        await producer.disconnect();
      },
    });
  }

  const demoAdmin = demoUser(identity, 'admin');
  const signInHelp = authEnv.KASTOR_AUTH_AUTHORITY
    ? `  sign in as ${demoAdmin.email} with the password ${demoAdmin.password}
  (also operator@kastor.local and viewer@kastor.local; their passwords are in ${path.relative(process.cwd(), path.join(dataDir, 'identity/local-identity.json'))})`
    : `  sign in with ${process.env.KASTOR_AUTH_AUTHORITY}`;
  console.log(`
Kastor is up: ${webUrl}
${signInHelp}
${
  'connectorId' in demo
    ? `  gameplay connector: http://localhost:${webPort}/connectors/${demo.connectorId}
  producing ~${demoRate} events/s to topic "${GAMEPLAY_TOPIC}" (Kafka ${brokers.join(',')})
  Kusto engine: ${kustoUrl} (database gamesdb, table GamePlay)`
    : `  no demo (KASTOR_DEMO=off): Kafka ${brokers.join(',')}, Kusto engine ${kustoUrl}`
}
  logs: ${path.relative(process.cwd(), logDir)}/
Press Ctrl-C to stop everything.`);
} catch (error) {
  console.error(`✗ ${(error as Error).message}`);
  await stopAll(1);
}
