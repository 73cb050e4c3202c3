import { randomBytes } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { applyMigrations } from '../../lib/db/apply-migrations';
import { startAzurite } from '../../services/azurite';
import { ensureKafkaJars, startKafka } from '../../services/kafka';
import { startPostgres } from '../../services/postgres';
import { buildWebIfStale } from '../../scripts/build-web';
import { buildWorker } from '../../scripts/build-worker';
import { ensureLoopbackTls } from '../../services/loopback-certificate';

declare module 'vitest' {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
    templateDatabase: string;
    kafkaBrokers: string[];
    /** Azure Storage (Azurite) for the engine's queued ingestion role. */
    storageConnectionString: string;
    secretKey: string;
    /** This run's scratch folder: service data, logs, stacks. */
    runDir: string;
    /** Folder of the https loopback certificate every test process trusts (services/loopback-certificate.ts). */
    loopbackTlsDir: string;
  }
}

/** The loopback authority, plus whatever NODE_EXTRA_CA_CERTS already named (a company proxy's CA). */
async function trustedCaBundle(caPath: string, bundlePath: string): Promise<string> {
  const existing = process.env.NODE_EXTRA_CA_CERTS;
  if (!existing) return caPath;
  await writeFile(bundlePath, `${await readFile(existing, 'utf8')}\n${await readFile(caPath, 'utf8')}`);
  return bundlePath;
}

export const TEMPLATE_DATABASE = 'kastor_test_template';
const TEST_DATA_ROOT = path.resolve(import.meta.dirname, '../../.data/test');

export function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/**
 * Starts the real services once per run (or uses DATABASE_URL / KAFKA_BROKERS) and migrates a
 * template database that every test file clones.
 */
export default async function setup(project: TestProject) {
  // A folder per run, so two runs in one checkout never share a broker's or a stack's files.
  const DATA_DIR = path.join(TEST_DATA_ROOT, `run-${Date.now()}-${process.pid}`);
  const stops: (() => Promise<void>)[] = [];
  const log = (message: string) => console.log(`[test services] ${message}`);

  let adminDatabaseUrl = process.env.DATABASE_URL;
  if (!adminDatabaseUrl) {
    const postgres = await startPostgres({ dataDir: path.join(DATA_DIR, 'postgres'), onProgress: log });
    stops.push(postgres.stop);
    adminDatabaseUrl = postgres.url;
  }
  const admin = new pg.Client({ connectionString: adminDatabaseUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
  await admin.end();
  await applyMigrations(databaseUrl(adminDatabaseUrl, TEMPLATE_DATABASE), log);

  let kafkaBrokers = process.env.KAFKA_BROKERS?.split(',');
  if (!kafkaBrokers) {
    await ensureKafkaJars({ onProgress: log });
    const kafka = await startKafka({ dataDir: path.join(DATA_DIR, 'kafka'), onProgress: log });
    stops.unshift(kafka.stop);
    kafkaBrokers = kafka.brokers;
  }

  let storageConnectionString = process.env.AZURE_STORAGE_CONNECTION_STRING;
  if (!storageConnectionString) {
    const azurite = await startAzurite({ dataDir: path.join(DATA_DIR, 'azurite'), inMemory: true, onProgress: log });
    stops.unshift(azurite.stop);
    storageConnectionString = azurite.connectionString;
  }

  // Every browser test's stack serves this one production build.
  // KASTOR_TEST_SKIP_WEB_BUILD=1 when running only non-browser files (`npm test -- test/integration/x.test.ts`).
  if (!process.env.KASTOR_TEST_SKIP_WEB_BUILD) await buildWebIfStale(log);
  // The tests that start worker processes run the worker as everywhere else: bundled (scripts/build-worker.ts).
  await buildWorker();

  // The local token server is https (MSAL accepts nothing else); Node reads NODE_EXTRA_CA_CERTS
  // only at start-up, so it is set here, before vitest forks the test processes.
  const loopbackTlsDir = path.join(DATA_DIR, 'tls');
  const loopbackTls = await ensureLoopbackTls(loopbackTlsDir);
  process.env.NODE_EXTRA_CA_CERTS = await trustedCaBundle(loopbackTls.caPath, path.join(loopbackTlsDir, 'trusted.pem'));

  project.provide('adminDatabaseUrl', adminDatabaseUrl);
  project.provide('templateDatabase', TEMPLATE_DATABASE);
  project.provide('kafkaBrokers', kafkaBrokers);
  project.provide('storageConnectionString', storageConnectionString);
  project.provide('secretKey', randomBytes(32).toString('base64'));
  project.provide('runDir', DATA_DIR);
  project.provide('loopbackTlsDir', loopbackTlsDir);

  return async () => {
    for (const stop of stops) await stop();
    // The brokers' and databases' files go; logs and the stacks' small folders stay for reading.
    for (const entry of ['kafka', 'postgres']) await rm(path.join(DATA_DIR, entry), { recursive: true, force: true });
  };
}
