import { copyFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client as KustoClient } from 'azure-kusto-data';
import { Partitioners, type Producer } from 'kafkajs';
import type { TBatchingPolicy, TConnectorDefinitionInput, TFlushPolicy, TIngestionMode } from '../lib/connectors/connector-definition';
import { createConnector } from '../lib/connectors/save-connector';
import type { Db } from '../lib/db/prisma';
import { gameplayConnectorDefinition } from '../lib/demo/gameplay';
import { parseBenchEnv } from './bench-env';
import { measureLagCycle, measureOverview, type Spread } from './control-plane';
import {
  describeMachine,
  formatTable,
  processFigures,
  RAW_CONSUME_KEY,
  resourceNote,
  writeReport,
  type PhaseResult,
} from './bench-report';
import { createConnections, createTopics, messagesIn, removeConnectors, startBenchStack, startEngine, startWorker, type BenchEngine, type BenchProcess, type BenchStack } from './bench-stack';
import { LATENCY_POLL_MS, measureLatency, type LatencyRun } from './measure-latency';
import { startNullIngestSink } from './null-ingest-sink';
import { trackUsage } from './process-usage';
import { produceGameplay, SEND_SIZE } from './produce-events';
import { consumeRaw, summarizePasses, type ConsumeRun } from './raw-consume';
import { childRawConsumePhases } from './child-raw-consume';
import { seedControlPlane, type SeededControlPlane } from './seed-control-plane';
import { countRows, countRowsIn, waitForRows, type RowsArrival } from './wait-for-rows';

/**
 * `npm run bench`: one run on one broker, every path side by side against the raw kafkajs
 * consume rate of the same topic — producer, raw consume, the worker into a null sink, into the
 * local engine streaming and queued, produce→queryable latency, many connectors at once, and the
 * control plane at scale (the overview API and one lag cycle over many seeded connectors).
 * Real Postgres, Kafka, Azurite, engine and worker processes; a fresh worker (and engine) per
 * phase. Nothing is asserted: the figures are printed and written to .data/bench/.
 * BENCH_ONLY runs some phases only.
 */
const env = parseBenchEnv(process.env);
const root = path.resolve(import.meta.dirname, '..');
const startedAt = new Date();
const loadAtStart = os.loadavg()[0];
const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
const outDir = path.join(root, '.data/bench');
const runDir = path.join(outDir, `run-${stamp}`);
const timeoutMs = env.BENCH_PHASE_TIMEOUT_SECONDS * 1000;
const N = env.BENCH_EVENTS;

const TOPIC = 'bench-gameplay';
const RAW_CONSUME_PASSES = 3;
const DATABASE = 'gamesdb';
const TABLE = 'GamePlay';
type PhaseSettings = { ingestion: { mode: TIngestionMode; batching?: TBatchingPolicy }; flush: TFlushPolicy };

const STREAMING = {
  ingestion: { mode: 'streaming' },
  flush: { maxRecords: 100_000, maxBytes: 4 * 1024 * 1024, maxAgeMs: 500 },
} satisfies PhaseSettings;
/**
 * For produce→queryable latency: a batch closes after 100 ms at most (at 10,000 events/s that is
 * ~250 rows per partition), so the age of the flush is not most of the latency.
 */
const STREAMING_LATENCY = {
  ingestion: { mode: 'streaming' },
  flush: { maxRecords: 100_000, maxBytes: 4 * 1024 * 1024, maxAgeMs: 100 },
} satisfies PhaseSettings;
/** MB-sized blobs, one per partition a second; the default sizes (≈17 MB) reach neither 500 blobs nor 1 GB, so the engine seals by time. */
const QUEUED = {
  ingestion: { mode: 'queued', batching: { maxBatchingTimeSpan: '00:00:10', maxItems: 500, maxRawDataSizeMb: 1024 } },
  flush: { maxRecords: 1_000_000, maxBytes: 64 * 1024 * 1024, maxAgeMs: 1_000 },
} satisfies PhaseSettings;
/** The reference batching policy of the ADX docs' gameplay example. */
const QUEUED_LATENCY = {
  ingestion: { mode: 'queued', batching: { maxBatchingTimeSpan: '00:00:10', maxItems: 5, maxRawDataSizeMb: 100 } },
  flush: { maxRecords: 100_000, maxBytes: 64 * 1024 * 1024, maxAgeMs: 1_000 },
} satisfies PhaseSettings;

const log = (message: string) => console.log(message);
const results: PhaseResult[] = [];

const selected = (key: string) => env.BENCH_ONLY.length === 0 || env.BENCH_ONLY.some((name) => key === name || key.startsWith(`${name}-`));
/** The phases that read the main topic, which the producer phase fills. */
const readsMainTopic =
  ['producer', RAW_CONSUME_KEY, 'raw-consume-parse', 'worker-null-sink', 'worker-engine-streaming', 'worker-engine-queued'].some(selected) ||
  env.BENCH_ONLY.some((name) => name.startsWith(`${RAW_CONSUME_KEY}-`));

async function phase(key: string, label: string, run: () => Promise<Omit<PhaseResult, 'key' | 'label'>>): Promise<void> {
  if (!selected(key) && !(key === 'producer' && readsMainTopic)) return;
  log(`» ${label}…`);
  const started = performance.now();
  try {
    const result = { key, label, ...(await run()) };
    results.push(result);
    log(`✓ ${label}: ${result.eventsPerSecond === undefined ? '' : `${Math.round(result.eventsPerSecond).toLocaleString('en-US')} events/s; `}${result.notes} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  } catch (error) {
    const message = (error as Error).message;
    results.push({ key, label, notes: '', error: message });
    log(`✗ ${label}: ${message}`);
  }
}

interface WorkerPhase {
  db: Db;
  ids: { kafkaConnectionId: string; kustoConnectionId: string };
  worker: BenchProcess;
  engine: BenchEngine | null;
  /** Queries the phase's engine; null with the null sink. */
  kusto: KustoClient | null;
}

/**
 * A fresh engine (unless the target is the null sink) and a fresh worker for one phase; stopped
 * afterwards in dependency order, the phase's connectors removed, so phases never overlap.
 */
async function withWorker<T>(stack: BenchStack, name: string, target: 'engine' | { url: string }, work: (phase: WorkerPhase) => Promise<T>): Promise<T> {
  let engine: BenchEngine | null = null;
  let worker: BenchProcess | null = null;
  let kusto: KustoClient | null = null;
  try {
    let clusterUrl: string;
    if (target === 'engine') {
      engine = await startEngine(stack, name);
      clusterUrl = engine.url;
    } else {
      clusterUrl = target.url;
    }
    const ids = await createConnections(stack, name, clusterUrl);
    worker = await startWorker(stack, name);
    kusto = engine ? new KustoClient(engine.url) : null;
    return await work({ db: stack.db, ids, worker, engine, kusto });
  } catch (error) {
    throw new Error(`${(error as Error).message} (logs: ${path.relative(root, path.join(stack.runDir, 'logs'))}/*-${name}.log)`);
  } finally {
    kusto?.close();
    // The worker first: it flushes into the target on its way out.
    await worker?.service.stop();
    await removeConnectors(stack.db);
    await engine?.service.stop();
  }
}

/**
 * When every connector's pipeline was reported RUNNING (target applied, consumer started),
 * counted from `startedAt`: the part of the start-up that is the worker's own, before the
 * consumer group join and the first write. Null if the signal ends the wait first.
 */
async function secondsUntilRunning(db: Db, startedAt: number, signal: AbortSignal): Promise<number | null> {
  while (!signal.aborted) {
    const [connectors, running] = await Promise.all([db.connector.count(), db.connectorStatus.count({ where: { actualState: 'RUNNING' } })]);
    if (connectors > 0 && running === connectors) return (performance.now() - startedAt) / 1000;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return null;
}

function kustoOf(phase: WorkerPhase): KustoClient {
  if (!phase.kusto) throw new Error('this phase writes to the null sink and has no engine to query');
  return phase.kusto;
}

/** Times a worker phase from connector creation until `arrived` resolves, with the processes' CPU and memory. */
async function timeIngestion(phase: WorkerPhase, events: number, createConnectors: () => Promise<unknown>, arrived: (startedAt: number) => Promise<RowsArrival>) {
  const workerUsage = trackUsage(phase.worker.pid);
  const engineUsage = phase.engine ? trackUsage(phase.engine.pid) : null;
  const started = performance.now();
  await createConnectors();
  const watching = new AbortController();
  const running = secondsUntilRunning(phase.db, started, watching.signal);
  const arrival = await arrived(started).finally(() => watching.abort());
  const worker = processFigures(workerUsage.finish(), events);
  const engine = engineUsage ? processFigures(engineUsage.finish(), events) : undefined;
  return {
    events,
    seconds: arrival.seconds,
    eventsPerSecond: events / arrival.seconds,
    startupSeconds: arrival.startupSeconds,
    // None when every row came at once (queued blobs sealed together).
    afterFirstRowPerSecond: arrival.firstRows < events && arrival.seconds > arrival.startupSeconds ? (events - arrival.firstRows) / (arrival.seconds - arrival.startupSeconds) : null,
    runningSeconds: await running,
    rowsSeen: arrival.rows,
    worker,
    engine,
  };
}

const ms = (value: number) => `${Math.round(value).toLocaleString('en-US')} ms`;

function spreadNote(figures: Spread): string {
  return `p50 ${ms(figures.p50)}, p95 ${ms(figures.p95)}, max ${ms(figures.max)}`;
}

function joinNotes(...notes: (string | false | undefined)[]): string {
  return notes.filter(Boolean).join('; ');
}

/** When it ran and the first row came, and the rate from then on (start-up and the first batch's filling left out). */
function startupNote(measured: { startupSeconds: number; runningSeconds: number | null; afterFirstRowPerSecond: number | null }): string {
  const running = measured.runningSeconds === null ? '' : `RUNNING after ${measured.runningSeconds.toFixed(1)} s, `;
  const after = measured.afterFirstRowPerSecond === null ? '' : ` (${Math.round(measured.afterFirstRowPerSecond).toLocaleString('en-US')}/s after it)`;
  return `${running}first row after ${measured.startupSeconds.toFixed(1)} s${after}`;
}

function flushNote({ ingestion: { batching }, flush }: PhaseSettings): string {
  const policy = batching ? `, batching ${batching.maxBatchingTimeSpan} / ${batching.maxItems} items / ${batching.maxRawDataSizeMb} MB` : '';
  return `flush ${flush.maxRecords.toLocaleString('en-US')} rec / ${flush.maxBytes / 1024 / 1024} MB / ${flush.maxAgeMs} ms${policy}`;
}

function latencyNotes(run: LatencyRun): string {
  return joinNotes(
    `p50 ${ms(run.p50Ms)}, p99 ${ms(run.p99Ms)}, max ${ms(run.maxMs)}`,
    `poll every ${LATENCY_POLL_MS} ms (answers every ${ms(run.meanPollPeriodMs)})`,
    run.missing > 0 && `${run.missing} never seen`,
  );
}

function latencyConnector(ids: WorkerPhase['ids'], name: string, topic: string, table: string, settings: PhaseSettings): TConnectorDefinitionInput {
  return {
    name,
    ...ids,
    source: { topics: [topic], startFrom: 'earliest' },
    format: 'json',
    target: {
      database: 'benchdb',
      table,
      mappingName: `${table}_json`,
      columns: [
        { name: 'Seq', type: 'long', path: '$.seq' },
        { name: 'SentAt', type: 'long', path: '$.sentAt' },
      ],
    },
    ...settings,
    errorPolicy: { onDecodeError: 'fail' },
  };
}

async function latencyPhase(stack: BenchStack, producer: Producer, name: string, settings: PhaseSettings, rate: number, seconds: number) {
  const topic = `bench-${name}`;
  const table = name === 'latency-streaming' ? 'LatencyStreaming' : 'LatencyQueued';
  await createTopics(stack.kafka, [topic], env.BENCH_PARTITIONS);
  return withWorker(stack, name, 'engine', async (phase) => {
    await createConnector(stack.db, latencyConnector(phase.ids, name, topic, table, settings), 'bench');
    const workerUsage = trackUsage(phase.worker.pid);
    const run = await measureLatency({ kusto: kustoOf(phase), producer, database: 'benchdb', table, topic, partitions: env.BENCH_PARTITIONS, rate, seconds, drainTimeoutMs: Math.min(timeoutMs, 120_000) });
    const worker = processFigures(workerUsage.finish(), run.events);
    return {
      events: run.events,
      seconds: run.events / run.eventsPerSecond,
      eventsPerSecond: run.eventsPerSecond,
      comparable: false,
      latency: run,
      worker,
      notes: latencyNotes(run),
    };
  });
}

/**
 * The blobs the worker queued (from its ingestion batches) and which trigger of the batching
 * policy sealed the engine's batch: count or size if the blobs reached them, else time.
 */
async function queuedBlobs(db: Db, batching: { maxItems: number; maxRawDataSizeMb: number }) {
  const batches = await db.ingestionBatch.aggregate({ _count: true, _sum: { rawBytes: true } });
  const blobs = batches._count;
  const rawMb = Number(batches._sum.rawBytes ?? 0) / 1024 / 1024;
  const sealedBy = blobs >= batching.maxItems ? 'count' : rawMb >= batching.maxRawDataSizeMb ? 'size' : 'time';
  return { blobs, averageRawMb: blobs === 0 ? 0 : rawMb / blobs, sealedBy };
}

let stack: BenchStack | null = null;
/** What every phase reading the main topic must find: the events produced, plus any a retried send wrote twice. */
let inTopic = N;
let producer: Producer | null = null;
let pacedProducer: Producer | null = null;
const { BENCH_ONLY: only, ...counts } = env;
const sizes = { ...counts, connectorEvents: Math.floor(N / env.BENCH_CONNECTORS) };
try {
  log(`» starting Postgres, Kafka and Azurite (run folder ${path.relative(root, runDir)})…`);
  stack = await startBenchStack(runDir, log);
  const services = stack;
  producer = stack.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const kafkaProducer = producer;
  pacedProducer = stack.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await pacedProducer.connect();
  const latencyProducer = pacedProducer;

  await phase('producer', `producer (kafkajs, ${env.BENCH_PARTITIONS} partitions)`, async () => {
    await createTopics(services.kafka, [TOPIC], env.BENCH_PARTITIONS);
    const started = performance.now();
    const bytes = await produceGameplay(kafkaProducer, TOPIC, N);
    const seconds = (performance.now() - started) / 1000;
    inTopic = await messagesIn(services.kafka, [TOPIC]);
    return {
      events: N,
      seconds,
      eventsPerSecond: N / seconds,
      details: { averageEventBytes: bytes / N, messagesInTopic: inTopic },
      notes: joinNotes(`${N.toLocaleString('en-US')} events of ${Math.round(bytes / N)} B, ${SEND_SIZE.toLocaleString('en-US')} per send`, inTopic > N && `${inTopic - N} sent twice`),
    };
  });

  // The first group on a fresh broker also pays for __consumer_offsets and a cold page cache; not timed.
  if (selected(RAW_CONSUME_KEY)) await consumeRaw(services.kafka, TOPIC, inTopic, 'bench-raw-warm-up', false, timeoutMs);
  for (const parse of [false, true]) {
    await phase(parse ? 'raw-consume-parse' : RAW_CONSUME_KEY, `raw consume (kafkajs, Node ${process.versions.node}): ${parse ? 'count + JSON.parse' : 'count only'}`, async () => {
      // A pass takes well under a second, so one pass is mostly noise: the median of a few.
      const runs: ConsumeRun[] = [];
      for (let pass = 1; pass <= RAW_CONSUME_PASSES; pass++) {
        runs.push(await consumeRaw(services.kafka, TOPIC, inTopic, `bench-raw-${parse ? 'parse' : 'count'}-${pass}`, parse, timeoutMs));
      }
      return summarizePasses(runs);
    });
  }
  // The same passes in child processes: kafkajs, kafkajs with the worker's record decoder, and @platformatic/kafka.
  const rawConsume = () => ({ brokers: services.brokers, topic: TOPIC, expected: inTopic, passes: RAW_CONSUME_PASSES, timeoutMs });
  for (const { key, label, run } of childRawConsumePhases(rawConsume, results)) await phase(key, label, run);

  await phase('worker-null-sink', 'worker → null ingest sink (streaming)', async () => {
    const sink = await startNullIngestSink();
    try {
      const measured = await withWorker(services, 'null-sink', sink, (run) =>
        timeIngestion(
          run,
          inTopic,
          () => createConnector(services.db, gameplayConnectorDefinition(run.ids, { source: { topics: [TOPIC], startFrom: 'earliest' }, ...STREAMING }), 'bench'),
          (started) => waitForRows(async () => sink.rows, inTopic, started, 20, timeoutMs),
        ),
      );
      return { ...measured, details: { requests: sink.requests }, notes: joinNotes(startupNote(measured), resourceNote('worker', measured.worker), `${sink.requests} requests`) };
    } finally {
      await sink.close();
    }
  });

  for (const [key, name, settings] of [
    ['worker-engine-streaming', 'streaming', STREAMING],
    ['worker-engine-queued', 'queued', QUEUED],
  ] as const) {
    await phase(key, `worker → engine, ${name}`, () =>
      withWorker(services, `engine-${name}`, 'engine', async (run) => {
        const measured = await timeIngestion(
          run,
          inTopic,
          () => createConnector(services.db, gameplayConnectorDefinition(run.ids, { source: { topics: [TOPIC], startFrom: 'earliest' }, ...settings }), 'bench'),
          (started) => waitForRows(() => countRows(kustoOf(run), DATABASE, TABLE), inTopic, started, 250, timeoutMs),
        );
        const blobs = name === 'queued' ? await queuedBlobs(run.db, QUEUED.ingestion.batching) : null;
        return {
          ...measured,
          details: blobs ?? undefined,
          notes: joinNotes(
            startupNote(measured),
            resourceNote('worker', measured.worker),
            resourceNote('engine', measured.engine),
            blobs !== null && `${blobs.blobs} blobs of ${blobs.averageRawMb.toFixed(1)} MB raw, sealed by ${blobs.sealedBy}`,
            measured.rowsSeen > inTopic && `${measured.rowsSeen - inTopic} duplicates`,
          ),
        };
      }),
    );
  }

  await phase('latency-streaming', `latency, streaming at ${env.BENCH_LATENCY_RATE.toLocaleString('en-US')}/s for ${env.BENCH_LATENCY_SECONDS} s`, () =>
    latencyPhase(services, latencyProducer, 'latency-streaming', STREAMING_LATENCY, env.BENCH_LATENCY_RATE, env.BENCH_LATENCY_SECONDS),
  );
  await phase('latency-queued', `latency, queued at ${env.BENCH_QUEUED_LATENCY_RATE.toLocaleString('en-US')}/s for ${env.BENCH_QUEUED_LATENCY_SECONDS} s`, () =>
    latencyPhase(services, latencyProducer, 'latency-queued', QUEUED_LATENCY, env.BENCH_QUEUED_LATENCY_RATE, env.BENCH_QUEUED_LATENCY_SECONDS),
  );

  await phase('connectors', `${env.BENCH_CONNECTORS} connectors → engine, streaming`, async () => {
    const perTopic = sizes.connectorEvents;
    const topics = Array.from({ length: env.BENCH_CONNECTORS }, (_, index) => `bench-multi-${index}`);
    const tables = topics.map((_, index) => `GamePlay${index}`);
    await createTopics(services.kafka, topics, env.BENCH_PARTITIONS);
    for (const topic of topics) await produceGameplay(kafkaProducer, topic, perTopic);
    const produced = perTopic * topics.length;
    const total = await messagesIn(services.kafka, topics);
    return withWorker(services, 'connectors', 'engine', async (run) => {
      const measured = await timeIngestion(
        run,
        total,
        () =>
          Promise.all(
            topics.map((topic, index) =>
              createConnector(
                services.db,
                gameplayConnectorDefinition(run.ids, {
                  name: `gameplay-${index}`,
                  source: { topics: [topic], startFrom: 'earliest' },
                  target: { ...gameplayConnectorDefinition(run.ids).target, table: tables[index], mappingName: `gameplay_${index}_json` },
                  ...STREAMING,
                }),
                'bench',
              ),
            ),
          ),
        (started) => waitForRows(() => countRowsIn(kustoOf(run), DATABASE, tables), total, started, 250, timeoutMs),
      );
      return {
        ...measured,
        notes: joinNotes(
          `${topics.length} × ${perTopic.toLocaleString('en-US')} events`,
          total > produced && `${total - produced} sent twice by the producer`,
          startupNote(measured),
          resourceNote('worker', measured.worker),
          resourceNote('engine', measured.engine),
          measured.rowsSeen > total && `${measured.rowsSeen - total} duplicates`,
        ),
      };
    });
  });

  const scale = `${env.BENCH_CONTROL_PLANE_CONNECTORS.toLocaleString('en-US')} connectors × ${env.BENCH_CONTROL_PLANE_PARTITIONS} partitions`;
  const controlPlane = {
    connectors: env.BENCH_CONTROL_PLANE_CONNECTORS,
    partitions: env.BENCH_CONTROL_PLANE_PARTITIONS,
    topics: env.BENCH_CONTROL_PLANE_TOPICS,
    samples: env.BENCH_CONTROL_PLANE_SAMPLES,
  };
  // Seeded once, by whichever control-plane phase runs first.
  let seeding: Promise<SeededControlPlane> | null = null;
  const seeded = () => (seeding ??= seedControlPlane(services, controlPlane, log));
  await phase('control-plane-overview', `overview API, ${scale}`, async () => {
    const { seedSeconds } = await seeded();
    const run = await measureOverview(services.db, env.BENCH_OVERVIEW_CALLS);
    return {
      comparable: false,
      details: { ...run, seedSeconds },
      notes: joinNotes(`server time ${spreadNote(run.ms)} over ${run.calls} calls`, `${run.connectors.toLocaleString('en-US')} connectors, ${Math.round(run.payloadKb).toLocaleString('en-US')} KB of JSON`),
    };
  });
  await phase('control-plane-lag-cycle', `lag cycle, ${scale}`, async () => {
    const run = await measureLagCycle(services, await seeded(), env.BENCH_CONTROL_PLANE_PARTITIONS, env.BENCH_LAG_CYCLES);
    return {
      comparable: false,
      details: { ...run },
      notes: joinNotes(
        `wall ${spreadNote(run.wallMs)}, CPU ${spreadNote(run.cpuMs)} over ${run.cycles} cycles`,
        `first cycle ${ms(run.first.wallMs)} wall, ${ms(run.first.cpuMs)} CPU`,
        `one worker holding ${run.leasesHeld.toLocaleString('en-US')} leases`,
        run.samplesWritten !== run.samplesExpected && `${run.samplesWritten.toLocaleString('en-US')} samples written of ${run.samplesExpected.toLocaleString('en-US')}`,
        run.problems.length > 0 && `logged: ${run.problems[0]}`,
      ),
    };
  });
} catch (error) {
  log(`✗ ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await producer?.disconnect().catch(() => undefined);
  await pacedProducer?.disconnect().catch(() => undefined);
  await stack?.stop();
  const machine = describeMachine(loadAtStart);
  const file = await writeReport(outDir, stamp, {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine,
    sizes,
    settings: { only, streaming: STREAMING, streamingLatency: STREAMING_LATENCY, queued: QUEUED, queuedLatency: QUEUED_LATENCY },
    results,
    logs: path.relative(root, path.join(runDir, 'logs')),
  });
  // Service data is large and of no use afterwards; the logs stay (the broker's too: it names every rebalance).
  await copyFile(path.join(runDir, 'kafka/logs/server.log'), path.join(runDir, 'logs/kafka.log')).catch(() => undefined);
  for (const entry of await readdir(runDir).catch(() => [])) if (entry !== 'logs') await rm(path.join(runDir, entry), { recursive: true, force: true });
  log(`\n${formatTable(results)}\n`);
  log(`streaming (also the connectors): ${flushNote(STREAMING)}; streaming latency: ${flushNote(STREAMING_LATENCY)}`);
  log(`queued: ${flushNote(QUEUED)}; queued latency: ${flushNote(QUEUED_LATENCY)}`);
  log("raw consume: kafkajs eachBatch, @platformatic/kafka consume() stream ('data' per message), no commits, 1 MB per partition / 10 MB per fetch / 250 ms; the producer: idempotent, acks=all");
  log(`machine: ${machine.nproc} cores, ${machine.cpuModel}, ${machine.ramGb} GB RAM, Node ${machine.node}, Kafka ${machine.kafka}; load average ${machine.loadAverage.start.toFixed(1)} at the start, ${machine.loadAverage.end.toFixed(1)} at the end`);
  log(`written: ${path.relative(root, file)} (and latest.json); logs: ${path.relative(root, path.join(runDir, 'logs'))}/`);
}
