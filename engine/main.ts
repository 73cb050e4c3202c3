import { parseArgs } from 'node:util';
import { z } from 'zod';
import { startKustoEngine } from './server';

const ZArguments = z.object({
  data: z.string().min(1, '--data <dir> is required'),
  port: z.coerce.number().int().min(0).max(65535).default(8080),
  host: z.string().min(1).default('127.0.0.1'),
  /** Azure Storage connection string for the Data Management (queued ingestion) role. */
  storage: z.string().min(1).optional(),
});

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { data: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' }, storage: { type: 'string' } } });
  // The storage account's key is a secret: the environment keeps it off the process list.
  const parsed = ZArguments.safeParse({ ...values, storage: values.storage ?? process.env.AZURE_STORAGE_CONNECTION_STRING });
  if (!parsed.success) {
    console.error(`usage: tsx engine/main.ts --data <dir> [--port 8080] [--host 127.0.0.1] [--storage <connection string>]\n${parsed.error.issues.map((issue) => issue.message).join('\n')}`);
    process.exit(2);
  }
  const engine = await startKustoEngine({ dataDir: parsed.data.data, port: parsed.data.port, host: parsed.data.host, storageConnectionString: parsed.data.storage });
  console.log(`kusto engine listening on ${engine.url}${parsed.data.storage ? ' (with queued ingestion)' : ''}`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    // A second signal means the user does not want to wait for a clean shutdown.
    if (stopping) process.exit(1);
    stopping = true;
    engine.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`kusto engine: shutdown after ${signal} failed`, error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error('kusto engine failed to start:', error);
  process.exit(1);
});
