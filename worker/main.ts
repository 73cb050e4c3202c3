import { hostname } from 'node:os';
import { parseEnv, ZWorkerEnv } from '../lib/env';
import { createPrisma } from '../lib/db/prisma';
import { Supervisor } from './supervisor';

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
  await supervisor.stop();
  await db.$disconnect();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

await supervisor.start();
