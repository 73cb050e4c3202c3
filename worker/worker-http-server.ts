import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Db } from '../lib/db/prisma';
import { registerConnectorGauges, workerRegistry } from './prometheus-metrics';

export interface WorkerHttpServerOptions {
  port: number;
  host: string;
  db: Db;
  workerId: string;
  /** Whether the supervisor runs: false while starting and once stopping. */
  isRunning(): boolean;
}

export interface WorkerHttpServer {
  port: number;
  close(): Promise<void>;
}

const DATABASE_CHECK_TIMEOUT_MS = 2_000;

/**
 * The worker's probes and metrics. /livez answers as long as the process serves requests (a
 * database outage must not make an orchestrator restart every worker); /readyz also needs the
 * supervisor running and Postgres answering; /metrics is Prometheus' text format.
 */
export async function startWorkerHttpServer(options: WorkerHttpServerOptions): Promise<WorkerHttpServer> {
  registerConnectorGauges(options.db);
  const server: Server = createServer((request, response) => {
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    const path = new URL(request.url ?? '/', 'http://worker').pathname;
    if (request.method !== 'GET') return send(405, { error: 'only GET' });
    if (path === '/livez') return send(200, { status: 'ok', workerId: options.workerId });
    if (path === '/readyz') {
      void readiness(options).then(({ ready, checks }) => send(ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', workerId: options.workerId, checks }));
      return;
    }
    if (path === '/metrics') {
      workerRegistry
        .metrics()
        .then((text) => {
          response.writeHead(200, { 'content-type': workerRegistry.contentType });
          response.end(text);
        })
        .catch((error: Error) => send(500, { error: `metrics unavailable: ${error.message}` }));
      return;
    }
    send(404, { error: 'not found', endpoints: ['/livez', '/readyz', '/metrics'] });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function readiness(options: WorkerHttpServerOptions): Promise<{ ready: boolean; checks: Record<string, string> }> {
  const supervisor = options.isRunning() ? 'running' : 'not running';
  const database = await Promise.race([
    options.db.$queryRaw`SELECT 1`.then(
      () => 'ok',
      (error: Error) => `unreachable: ${error.message.split('\n')[0]}`,
    ),
    new Promise<string>((resolve) => setTimeout(() => resolve(`no answer within ${DATABASE_CHECK_TIMEOUT_MS / 1000} s`), DATABASE_CHECK_TIMEOUT_MS).unref()),
  ]);
  return { ready: supervisor === 'running' && database === 'ok', checks: { supervisor, database } };
}
