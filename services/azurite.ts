import fs from 'node:fs';
import fsp from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { findFreePorts, isPortAnswering } from './free-port';
import { openServiceLog, readLogTail, spawnTiedToParent, stopChild, waitUntilReady, type ShutdownStep } from './service-process';

/**
 * Azurite, Microsoft's Azure Storage emulator (npm `azurite`), with its blob, queue and table
 * services on free loopback ports: the storage the local engine's Data Management role hands
 * out to the ingest SDK, as ADX hands out its own storage accounts.
 */

/** Azurite's fixed development account (learn.microsoft.com: azure/storage/common/storage-use-azurite). */
export const AZURITE_ACCOUNT = 'devstoreaccount1';
export const AZURITE_ACCOUNT_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

// Azurite closes its servers on SIGTERM; in-memory data needs nothing flushed.
const SHUTDOWN_STEPS: ShutdownStep[] = [
  { signal: 'SIGTERM', waitMs: 10_000 },
  { signal: 'SIGKILL', waitMs: 5_000 },
];

export interface StartAzuriteOptions {
  /** Azurite's workspace (its log, and its data unless `inMemory`). */
  dataDir: string;
  /** Keep blobs, queues and tables in memory only (default): nothing survives a restart. */
  inMemory?: boolean;
  onProgress?: (message: string) => void;
  startTimeoutMs?: number;
  /** Fixed ports, e.g. to restart Azurite where its clients expect it; free ones by default. */
  ports?: { blob: number; queue: number; table: number };
}

export interface RunningAzurite {
  /** `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=…;BlobEndpoint=…;QueueEndpoint=…;TableEndpoint=…;` */
  connectionString: string;
  ports: { blob: number; queue: number; table: number };
  logFile: string;
  /** SIGTERM, then SIGKILL after 10 s; safe to call more than once. */
  stop(): Promise<void>;
}

export function azuriteConnectionString(ports: { blob: number; queue: number; table: number }, host = '127.0.0.1'): string {
  const endpoint = (port: number) => `http://${host}:${port}/${AZURITE_ACCOUNT}`;
  return [
    'DefaultEndpointsProtocol=http',
    `AccountName=${AZURITE_ACCOUNT}`,
    `AccountKey=${AZURITE_ACCOUNT_KEY}`,
    `BlobEndpoint=${endpoint(ports.blob)}`,
    `QueueEndpoint=${endpoint(ports.queue)}`,
    `TableEndpoint=${endpoint(ports.table)}`,
    '',
  ].join(';');
}

function azuriteScript(): string {
  const packageJson = createRequire(import.meta.url).resolve('azurite/package.json');
  return path.join(path.dirname(packageJson), 'dist', 'src', 'azurite.js');
}

export async function startAzurite(opts: StartAzuriteOptions): Promise<RunningAzurite> {
  const progress = opts.onProgress ?? (() => {});
  const dataDir = path.resolve(opts.dataDir);
  await fsp.mkdir(dataDir, { recursive: true });
  const logFile = path.join(dataDir, 'azurite.log');
  // A port picked as free can be taken before Azurite binds it; pick again in that case.
  if (opts.ports) {
    return launch({ dataDir, logFile, ports: opts.ports, inMemory: opts.inMemory ?? true, progress, timeoutMs: opts.startTimeoutMs ?? 60_000 });
  }
  for (let attempt = 1; ; attempt++) {
    const [blob, queue, table] = await findFreePorts(3);
    try {
      return await launch({ dataDir, logFile, ports: { blob, queue, table }, inMemory: opts.inMemory ?? true, progress, timeoutMs: opts.startTimeoutMs ?? 60_000 });
    } catch (error) {
      if (attempt >= 3 || !/EADDRINUSE|address already in use/i.test(String(error))) throw error;
      progress('an Azurite port was taken, retrying on others');
    }
  }
}

async function launch(args: {
  dataDir: string;
  logFile: string;
  ports: { blob: number; queue: number; table: number };
  inMemory: boolean;
  progress: (message: string) => void;
  timeoutMs: number;
}): Promise<RunningAzurite> {
  const { ports, logFile } = args;
  const logFd = await openServiceLog(logFile);
  const startedAt = Date.now();
  const child = spawnTiedToParent(
    process.execPath,
    [
      azuriteScript(),
      ...['--blobHost', '127.0.0.1', '--blobPort', String(ports.blob)],
      ...['--queueHost', '127.0.0.1', '--queuePort', String(ports.queue)],
      ...['--tableHost', '127.0.0.1', '--tablePort', String(ports.table)],
      // Azurite refuses a location together with in-memory persistence.
      ...(args.inMemory ? ['--inMemoryPersistence'] : ['--location', args.dataDir]),
      // The SDKs installed here may speak a newer storage API version than this Azurite knows.
      '--skipApiVersionCheck',
      '--disableTelemetry',
      '--silent',
    ],
    { deathSignal: 'SIGTERM', stdio: ['ignore', logFd, logFd], cwd: args.dataDir },
  );
  fs.closeSync(logFd);
  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= stopChild(child, SHUTDOWN_STEPS));
  try {
    await waitUntilReady({
      child,
      timeoutMs: args.timeoutMs,
      check: async () => (await Promise.all([ports.blob, ports.queue, ports.table].map((port) => isPortAnswering(port)))).every(Boolean),
      describeFailure: async (reason) => new Error(`Azurite ${reason}. Last lines of ${logFile}:\n${await readLogTail(logFile)}`),
    });
  } catch (error) {
    await stop();
    throw error;
  }
  args.progress(`Azurite ready (blob ${ports.blob}, queue ${ports.queue}, table ${ports.table}) in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
  return { connectionString: azuriteConnectionString(ports), ports, logFile, stop };
}
