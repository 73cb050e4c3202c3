import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { Client } from 'azure-kusto-data';
import { CompressionType, DataFormat, IngestionMappingKind, IngestionProperties, StreamDescriptor, StreamingIngestClient } from 'azure-kusto-ingest';
import { z } from 'zod';
import { ZConnectorDefinition } from '../lib/connectors/connector-definition';
import { gameplayConnectorDefinition, randomGameplayEvent } from '../lib/demo/gameplay';
import { parseEnv } from '../lib/env';
import { targetCommandsFor } from '../lib/kql/target-commands';
import { spawnTiedToParent, stopChild } from '../services/service-process';
import { cpuSeconds, memoryUsage } from './process-usage';

/**
 * The local engine's streaming ingest on its own: gameplay NDJSON (~95 B a record) sent by the
 * official SDK's StreamingIngestClient from several clients at once, gzipped ~1 MB requests
 * through the reference JSON mapping, into an engine in its own process. Prints rows/s and the
 * engine's CPU seconds per million rows.
 */

const ZEngineBenchEnv = z.object({
  ENGINE_BENCH_ROWS: z.coerce.number().int().positive().default(1_000_000),
  /** Rows per streaming request: ~10,000 gameplay rows make the ~1 MB requests the sink connector sends. */
  ENGINE_BENCH_REQUEST_ROWS: z.coerce.number().int().positive().default(10_000),
  ENGINE_BENCH_CLIENTS: z.coerce.number().int().positive().default(4),
  /** A folder to write the engine's V8 CPU profile to (node --cpu-prof), for reading where its time goes. */
  ENGINE_BENCH_CPU_PROF_DIR: z.string().min(1).optional(),
});

/** The reference gameplay connector, whose target KQL the product applies before streaming into it. */
const GAMEPLAY = ZConnectorDefinition.parse(gameplayConnectorDefinition({ kafkaConnectionId: randomUUID(), kustoConnectionId: randomUUID() }));
const { database: DB, table: TABLE, mappingName: MAPPING_NAME } = GAMEPLAY.target;
/** Requests sent before the clock starts, so connection set-up and JIT warm-up are not measured. */
const WARM_UP_REQUESTS = 4;

const root = path.resolve(import.meta.dirname, '..');

interface TPayload {
  gzipped: Buffer;
  rows: number;
  rawBytes: number;
}

function gameplayPayloads(rows: number, rowsPerRequest: number): TPayload[] {
  const payloads: TPayload[] = [];
  for (let sent = 0; sent < rows; sent += rowsPerRequest) {
    const count = Math.min(rowsPerRequest, rows - sent);
    const text = `${Array.from({ length: count }, () => JSON.stringify(randomGameplayEvent())).join('\n')}\n`;
    payloads.push({ gzipped: gzipSync(text), rows: count, rawBytes: Buffer.byteLength(text) });
  }
  return payloads;
}

async function sendAll(ingestClients: StreamingIngestClient[], payloads: readonly TPayload[]): Promise<void> {
  const properties = new IngestionProperties({
    database: DB,
    table: TABLE,
    format: DataFormat.JSON,
    ingestionMappingReference: MAPPING_NAME,
    ingestionMappingKind: IngestionMappingKind.JSON,
  });
  let next = 0;
  // Each client sends its next request as soon as the previous one is answered.
  await Promise.all(
    ingestClients.map(async (ingestClient) => {
      while (next < payloads.length) {
        const payload = payloads[next++];
        await ingestClient.ingestFromStream(new StreamDescriptor(Readable.from([payload.gzipped]), null, CompressionType.GZIP), properties);
      }
    }),
  );
}

/** The URL the engine prints once it listens. */
async function engineUrl(engine: ChildProcess): Promise<string> {
  const exited = new Promise<never>((_, reject) => engine.once('exit', (code) => reject(new Error(`the engine exited with code ${code} before it listened`))));
  const listening = (async () => {
    for await (const line of createInterface({ input: engine.stdout! })) {
      const match = /kusto engine listening on (\S+)/.exec(line);
      if (match) {
        // Keep draining what the engine prints, so a full pipe never blocks it.
        engine.stdout!.resume();
        return match[1];
      }
    }
    throw new Error('the engine closed its output before it listened');
  })();
  return Promise.race([listening, exited]);
}

async function main(): Promise<void> {
  const env = parseEnv(ZEngineBenchEnv, process.env);
  const runDir = await mkdtemp(path.join(tmpdir(), 'kastor-engine-bench-'));
  const dataDir = path.join(runDir, 'engine');
  // --cpu-prof is refused in NODE_OPTIONS, so the engine is run with node's own arguments.
  const profiling = env.ENGINE_BENCH_CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(env.ENGINE_BENCH_CPU_PROF_DIR)}`] : [];
  const engine = spawnTiedToParent(process.execPath, [...profiling, '--import', 'tsx', path.join(root, 'engine/main.ts'), '--data', dataDir, '--port', '0'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    deathSignal: 'SIGTERM',
  });
  const url = await engineUrl(engine);
  const pid = engine.pid!;
  const client = new Client(url);
  const ingestClients = Array.from({ length: env.ENGINE_BENCH_CLIENTS }, () => new StreamingIngestClient(url));
  try {
    for (const command of targetCommandsFor(GAMEPLAY)) await client.execute(DB, command.csl);

    const payloads = gameplayPayloads(env.ENGINE_BENCH_ROWS, env.ENGINE_BENCH_REQUEST_ROWS);
    const warmUp = gameplayPayloads(WARM_UP_REQUESTS * env.ENGINE_BENCH_REQUEST_ROWS, env.ENGINE_BENCH_REQUEST_ROWS);
    await sendAll(ingestClients, warmUp);

    const rawBytes = payloads.reduce((sum, payload) => sum + payload.rawBytes, 0);
    const gzippedBytes = payloads.reduce((sum, payload) => sum + payload.gzipped.length, 0);
    const cpuAtStart = cpuSeconds(pid);
    const clientCpuAtStart = process.cpuUsage();
    const started = performance.now();
    await sendAll(ingestClients, payloads);
    const seconds = (performance.now() - started) / 1000;
    const engineCpu = cpuSeconds(pid) - cpuAtStart;
    const clientCpuUsage = process.cpuUsage(clientCpuAtStart);
    const clientCpu = (clientCpuUsage.user + clientCpuUsage.system) / 1e6;

    const expected = env.ENGINE_BENCH_ROWS + WARM_UP_REQUESTS * env.ENGINE_BENCH_REQUEST_ROWS;
    const [countRow] = [...(await client.execute(DB, `${TABLE} | count`)).primaryResults[0].rows()];
    const counted = Number(countRow.toJSON<{ Count: number }>().Count);
    if (counted !== expected) throw new Error(`the table holds ${counted} rows, expected ${expected}`);

    const rows = env.ENGINE_BENCH_ROWS;
    console.log(
      [
        `engine streaming ingest: ${rows.toLocaleString('en')} gameplay rows in ${payloads.length} requests ` +
          `(${(rawBytes / payloads.length / 1e6).toFixed(2)} MB raw, ${(gzippedBytes / payloads.length / 1e3).toFixed(0)} KB gzipped each), ${env.ENGINE_BENCH_CLIENTS} clients`,
        `  ${Math.round(rows / seconds).toLocaleString('en')} rows/s (${seconds.toFixed(2)} s, ${(rawBytes / seconds / 1e6).toFixed(1)} MB/s raw)`,
        `  engine: ${((engineCpu * 1e6) / rows).toFixed(2)} CPU s per million rows, peak RSS ${memoryUsage(pid).peakRssMb.toFixed(0)} MB; ` +
          `clients (this process): ${((clientCpu * 1e6) / rows).toFixed(2)} CPU s per million rows`,
      ].join('\n'),
    );
  } finally {
    client.close();
    for (const ingestClient of ingestClients) ingestClient.close();
    await stopChild(engine, [
      { signal: 'SIGTERM', waitMs: 20_000 },
      { signal: 'SIGKILL', waitMs: 5_000 },
    ]);
    await rm(runDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
