import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnector } from '../../lib/connectors/save-connector';
import { gameplayConnectorDefinition, REFERENCE_EVENTS, toKafkaMessage } from '../../lib/demo/gameplay';
import { startNodeService } from '../../scripts/node-service';
import { findFreePorts } from '../../services/free-port';
import { startWorkerHttpServer, type WorkerHttpServer } from '../../worker/worker-http-server';
import { createTopic, kustoCount, produce, runDir, secretKey, startPipelineWorld, uniqueName, waitFor, type PipelineWorld } from '../support/harness';

/**
 * The worker's probes and Prometheus endpoint, scraped over HTTP: in process next to a running
 * supervisor, and from worker/main.ts started as Kubernetes would (KASTOR_WORKER_HTTP_PORT).
 */
let world: PipelineWorld;
let server: WorkerHttpServer;
let running = true;

beforeAll(async () => {
  world = await startPipelineWorld();
  server = await startWorkerHttpServer({ port: 0, host: '127.0.0.1', db: world.database.db, workerId: 'test', isRunning: () => running });
});

afterAll(async () => {
  await server?.close();
  await world?.close();
});

const url = (endpoint: string) => `http://127.0.0.1:${server.port}${endpoint}`;

/** One sample of a metric whose labels include all of `labels`; NaN when there is none. */
function sample(text: string, name: string, labels: Record<string, string>): number {
  const line = text.split('\n').find((entry) => entry.startsWith(`${name}{`) && Object.entries(labels).every(([key, value]) => entry.includes(`${key}="${value}"`)));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : Number.NaN;
}

describe('worker HTTP endpoints', () => {
  it('answers liveness always and readiness only while the supervisor runs and Postgres answers', async () => {
    const live = await fetch(url('/livez'));
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: 'ok', workerId: 'test' });
    const ready = await fetch(url('/readyz'));
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', workerId: 'test', checks: { supervisor: 'running', database: 'ok' } });
    running = false;
    const stopping = await fetch(url('/readyz'));
    expect(stopping.status).toBe(503);
    expect((await stopping.json()).checks.supervisor).toBe('not running');
    running = true;
    expect((await fetch(url('/nowhere'))).status).toBe(404);
  });

  it('exports per-connector rows, bytes, errors, lag, state and batch latency in the Prometheus format', async () => {
    const topic = uniqueName('scraped');
    await createTopic(topic, 2);
    const connector = await createConnector(
      world.database.db,
      gameplayConnectorDefinition(world.ids, { name: 'scraped', source: { topics: [topic], startFrom: 'earliest' }, target: { ...gameplayConnectorDefinition(world.ids).target!, table: 'ScrapedTarget' } }),
      'test',
    );
    await produce(topic, [...Array.from({ length: 20 }, (_, i) => toKafkaMessage({ ...REFERENCE_EVENTS[i % 4], playerId: i })), { key: 'bad', value: 'not json' }]);
    await waitFor(async () => expect(await kustoCount(world.engine.url, 'gamesdb', 'ScrapedTarget')).toBe(20), { timeoutMs: 60_000 });

    const text = await waitFor(async () => {
      const response = await fetch(url('/metrics'));
      expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      const body = await response.text();
      const byConnector = { connector_id: connector.id };
      expect(sample(body, 'kastor_connector_state', { ...byConnector, state: 'RUNNING' })).toBe(1);
      expect(sample(body, 'kastor_consumer_lag', { ...byConnector, partition: '0' }) + sample(body, 'kastor_consumer_lag', { ...byConnector, partition: '1' })).toBe(0);
      return body;
    });
    const byConnector = { connector_id: connector.id, topic };
    expect(sample(text, 'kastor_rows_written_total', byConnector)).toBe(20);
    expect(sample(text, 'kastor_bytes_written_total', byConnector)).toBeGreaterThan(20 * 50);
    expect(sample(text, 'kastor_record_errors_total', { connector_id: connector.id, kind: 'decode' })).toBe(1);
    expect(sample(text, 'kastor_batch_write_duration_seconds_count', { connector_id: connector.id, path: 'streaming' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'kastor_batch_write_duration_seconds_bucket', { connector_id: connector.id, path: 'streaming', le: '+Inf' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'kastor_connector_info', { connector_id: connector.id, connector: 'scraped' })).toBe(1);
    expect(sample(text, 'kastor_consumer_lag_seconds', { connector_id: connector.id })).toBe(0);
    expect(text).toMatch(/^# HELP kastor_rows_written_total /m);
    expect(text).toMatch(/^kastor_worker_process_cpu_seconds_total /m);
  });

  it('worker/main.ts serves them on KASTOR_WORKER_HTTP_PORT, ready once started', async () => {
    const [port] = await findFreePorts(1);
    const worker = await startNodeService({
      name: 'worker with probes',
      script: path.resolve(import.meta.dirname, '../../worker/main.ts'),
      env: { DATABASE_URL: world.database.url, KASTOR_SECRET_KEY: secretKey(), KASTOR_WORKER_ID: 'probed-worker', KASTOR_WORKER_HTTP_PORT: String(port), KASTOR_WORKER_HTTP_HOST: '127.0.0.1' },
      logFile: path.join(runDir(), 'logs/worker-endpoints.log'),
      readyUrl: `http://127.0.0.1:${port}/readyz`,
    });
    try {
      expect(await (await fetch(`http://127.0.0.1:${port}/readyz`)).json()).toMatchObject({ status: 'ready', workerId: 'probed-worker' });
      expect(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()).toMatch(/^kastor_connector_info\{connector_id="[^"]+",connector="scraped"\} 1$/m);
    } finally {
      await worker.stop();
    }
    expect(await worker.exited).toBe(0);
  });
});
