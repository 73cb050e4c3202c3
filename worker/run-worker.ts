/** The worker process, imported by worker/main.ts once kafkajs's fast paths are in place. */
import { hostname } from 'node:os';
import { parseEnv, ZWorkerEnv } from '../lib/env';
import { createPrisma } from '../lib/db/prisma';
import { AlertDeliveryLoop } from '../lib/alerts/deliver-alerts';
import { Supervisor } from './supervisor';
import { startWorkerHttpServer } from './worker-http-server';

const env = parseEnv(ZWorkerEnv, process.env);
const workerId = env.KASTOR_WORKER_ID ?? `${hostname()}-${process.pid}`;
const db = createPrisma(env.DATABASE_URL);
const supervisor = new Supervisor({
  db,
  databaseUrl: env.DATABASE_URL,
  secretKey: env.KASTOR_SECRET_KEY,
  workerId,
  pollIntervalMs: env.KASTOR_POLL_INTERVAL_MS,
  metricsIntervalMs: env.KASTOR_METRICS_INTERVAL_MS,
  metricsRetentionHours: env.KASTOR_METRICS_RETENTION_HOURS,
});
// Every worker sends due alert notifications; each is claimed by one worker at a time.
const alertDelivery = new AlertDeliveryLoop({ db, secretKey: env.KASTOR_SECRET_KEY, sender: workerId, log: (message) => console.log(`[worker ${workerId}] ${message}`) });
let running = false;
// Up before the supervisor starts, so a liveness probe answers while it does (readiness waits).
const http =
  env.KASTOR_WORKER_HTTP_PORT === undefined
    ? null
    : await startWorkerHttpServer({ port: env.KASTOR_WORKER_HTTP_PORT, host: env.KASTOR_WORKER_HTTP_HOST, db, workerId, isRunning: () => running });
if (http) console.log(`[worker ${workerId}] /livez, /readyz and /metrics on port ${http.port}`);

let signals = 0;
async function shutdown(signal: string): Promise<void> {
  signals += 1;
  if (signals > 1) {
    console.error(`[worker ${workerId}] second ${signal}: exiting now`);
    process.exit(1);
  }
  console.log(`[worker ${workerId}] ${signal}: stopping (a second signal forces exit)`);
  const deadline = setTimeout(() => {
    console.error(`[worker ${workerId}] shutdown deadline reached: exiting`);
    process.exit(1);
  }, 30_000);
  deadline.unref();
  running = false;
  await alertDelivery.stop();
  await supervisor.stop();
  await http?.close();
  await db.$disconnect();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

await supervisor.start();
running = true;
alertDelivery.start();
