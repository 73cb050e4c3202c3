import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createApiToken } from '../../lib/auth/api-tokens';
import { startNodeService, type NodeService } from '../../scripts/node-service';
import type { TLocalIdentity } from '../../services/local-identity';
import { findFreePorts } from '../../services/free-port';
import { inject } from 'vitest';
import { kafkaBrokers, runDir, type TestDatabase } from './harness';

const root = path.resolve(import.meta.dirname, '../..');

export interface TestStack {
  service: NodeService;
  webUrl: string;
  engineUrl: string;
  /** Web and engine ports, to check they close again. */
  ports: number[];
  logFile: string;
  /** The local OpenID provider's demo users (viewer, operator, admin) and their passwords, as npm start made them. */
  identity: TLocalIdentity;
  /** The provider's https certificate, for the browser to trust (it is signed by this stack's own CA). */
  providerCertificatePem: string;
  /** An admin API token, for the tests' own calls to the API (a browser signs in instead). */
  adminToken: string;
}

/**
 * The product as `npm start` brings it up (engine, worker, web, demo), on the run's Postgres
 * (a database of its own) and Kafka, with free ports and its own data folder.
 */
export async function startStack(name: string, database: TestDatabase, env: Record<string, string> = {}): Promise<TestStack> {
  const ports = await findFreePorts(4);
  const [webPort, enginePort, identityPort, schemaRegistryPort] = ports;
  const dataDir = path.join(runDir(), name);
  const logFile = path.join(runDir(), `logs/${name}.log`);
  const service = await startNodeService({
    name: `npm start (${name})`,
    script: path.join(root, 'scripts/dev.ts'),
    env: {
      DATABASE_URL: database.url,
      KAFKA_BROKERS: kafkaBrokers().join(','),
      AZURE_STORAGE_CONNECTION_STRING: inject('storageConnectionString'),
      KASTOR_DATA_DIR: dataDir,
      KASTOR_WEB_PORT: String(webPort),
      KASTOR_ENGINE_PORT: String(enginePort),
      KASTOR_IDENTITY_PORT: String(identityPort),
      // A JVM per stack is not free: only the tests of Avro topics ask for the registry.
      KASTOR_SCHEMA_REGISTRY: 'off',
      KASTOR_SCHEMA_REGISTRY_PORT: String(schemaRegistryPort),
      ...env,
    },
    logFile,
    readyLine: /Kastor is up: (\S+)/,
    timeoutMs: 300_000,
  });
  const identity = JSON.parse(await readFile(path.join(dataDir, 'identity/local-identity.json'), 'utf8')) as TLocalIdentity;
  const providerCertificatePem = await readFile(path.join(dataDir, 'tls/server.pem'), 'utf8');
  const { token: adminToken } = await createApiToken(database.db, { name: `${name} tests`, role: 'ADMIN' }, 'test setup');
  return { service, webUrl: service.readyMatch![1], engineUrl: `http://127.0.0.1:${enginePort}`, ports, logFile, identity, providerCertificatePem, adminToken };
}

/** fetch() against the stack's API as its admin token. */
export function stackFetch(stack: TestStack, path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${stack.webUrl}${path}`, { ...init, headers: { authorization: `Bearer ${stack.adminToken}`, ...(init.body ? { 'content-type': 'application/json' } : {}), ...init.headers } });
}
