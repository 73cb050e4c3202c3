import { parseArgs } from 'node:util';
import { z } from 'zod';
import { startKustoEngine } from './server';

const ZArguments = z.object({
  data: z.string().min(1, '--data <dir> is required'),
  port: z.coerce.number().int().min(0).max(65535).default(8080),
  host: z.string().min(1).default('127.0.0.1'),
});

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { data: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' } } });
  const parsed = ZArguments.safeParse(values);
  if (!parsed.success) {
    console.error(`usage: tsx engine/main.ts --data <dir> [--port 8080] [--host 127.0.0.1]\n${parsed.error.issues.map((issue) => issue.message).join('\n')}`);
    process.exit(2);
  }
  const engine = await startKustoEngine({ dataDir: parsed.data.data, port: parsed.data.port, host: parsed.data.host });
  console.log(`kusto engine listening on ${engine.url}`);

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
