import path from 'node:path';
import { startNodeService, type NodeService } from '../../scripts/node-service';
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
}

/**
 * The product as `npm start` brings it up (engine, worker, web, demo), on the run's Postgres
 * (a database of its own) and Kafka, with free ports and its own data folder.
 */
export async function startStack(name: string, database: TestDatabase, env: Record<string, string> = {}): Promise<TestStack> {
  const ports = await findFreePorts(2);
  const [webPort, enginePort] = ports;
  const logFile = path.join(runDir(), `logs/${name}.log`);
  const service = await startNodeService({
    name: `npm start (${name})`,
    script: path.join(root, 'scripts/dev.ts'),
    env: {
      DATABASE_URL: database.url,
      KAFKA_BROKERS: kafkaBrokers().join(','),
      AZURE_STORAGE_CONNECTION_STRING: inject('storageConnectionString'),
      KASTOR_DATA_DIR: path.join(runDir(), name),
      KASTOR_WEB_PORT: String(webPort),
      KASTOR_ENGINE_PORT: String(enginePort),
      ...env,
    },
    logFile,
    readyLine: /Kastor is up: (\S+)/,
    timeoutMs: 300_000,
  });
  return { service, webUrl: service.readyMatch![1], engineUrl: `http://127.0.0.1:${enginePort}`, ports, logFile };
}
