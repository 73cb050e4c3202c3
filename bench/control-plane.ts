import { listConnectors } from '../lib/connectors/read-connectors';
import type { Db } from '../lib/db/prisma';
import { KafkaRegistry } from '../worker/kafka-registry';
import { MetricsReporter } from '../worker/metrics-reporter';
import { WorkerPresence } from '../worker/worker-presence';
import type { BenchStack } from './bench-stack';
import type { SeededControlPlane } from './seed-control-plane';

/** The supervisor's lease for the default 1 s metrics interval: three cycles, at least 5 s. */
const LEASE_MS = 5_000;

export interface Spread {
  p50: number;
  p95: number;
  min: number;
  max: number;
}

function spread(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  return { p50: at(0.5), p95: at(0.95), min: sorted[0], max: sorted[sorted.length - 1] };
}

export interface OverviewRun {
  calls: number;
  connectors: number;
  payloadKb: number;
  /** listConnectors plus the JSON the route answers with, in milliseconds. */
  ms: Spread;
}

/**
 * Server time of GET /api/connectors: the function its handler calls (listConnectors) and the
 * JSON it answers with, `calls` times after one untimed call.
 */
export async function measureOverview(db: Db, calls: number): Promise<OverviewRun> {
  const answer = async () => JSON.stringify({ connectors: await listConnectors(db) });
  const first = await answer();
  const times: number[] = [];
  for (let call = 0; call < calls; call++) {
    const started = performance.now();
    await answer();
    times.push(performance.now() - started);
  }
  return { calls, connectors: (JSON.parse(first) as { connectors: unknown[] }).connectors.length, payloadKb: Buffer.byteLength(first) / 1024, ms: spread(times) };
}

export interface LagCycleRun {
  /** The first cycle: takes every lease, opens the admin client, reads the lagging records' times. */
  first: { wallMs: number; cpuMs: number };
  cycles: number;
  wallMs: Spread;
  cpuMs: Spread;
  leasesHeld: number;
  /** Samples the cycles wrote, against one per connector per cycle: a cycle that wrote nothing is not fast. */
  samplesWritten: number;
  samplesExpected: number;
  /** What the reporter logged (a lag it could not read, a write that failed); empty when all went well. */
  problems: string[];
}

/**
 * The worker's metrics cycle (MetricsReporter.cycle, as the supervisor runs it every interval)
 * in this process, as one worker holding every connector's lease: before each cycle every
 * partition of every connector reports rows written, as running pipelines do. Wall time and
 * this process's CPU time (user + system) per cycle.
 */
export async function measureLagCycle(stack: BenchStack, seeded: SeededControlPlane, partitions: number, cycles: number): Promise<LagCycleRun> {
  const problems: string[] = [];
  const kafka = new KafkaRegistry(stack.secretKey, `kastor-worker-${seeded.workerId}`);
  const presence = new WorkerPresence(stack.db, seeded.workerId);
  const reporter = new MetricsReporter(stack.db, kafka, 24, (message) => problems.push(message), presence, LEASE_MS);
  const offsets = new Map<string, number>();
  const runOne = async () => {
    for (const connectorId of seeded.connectorIds) {
      const topic = seeded.topicOf.get(connectorId)!;
      for (let partition = 0; partition < partitions; partition++) {
        const key = `${connectorId}/${partition}`;
        const lastOffset = (offsets.get(key) ?? 1_000) + 10;
        offsets.set(key, lastOffset);
        reporter.emit({ type: 'written', connectorId, topic, partition, rows: 10, bytes: 900, lastOffset, path: 'streaming' });
      }
    }
    const cpu = process.cpuUsage();
    const started = performance.now();
    await reporter.cycle();
    const used = process.cpuUsage(cpu);
    return { wallMs: performance.now() - started, cpuMs: (used.user + used.system) / 1000 };
  };
  const samplesBefore = await stack.db.metricSample.count();
  try {
    const first = await runOne();
    const runs = [];
    for (let cycle = 0; cycle < cycles; cycle++) runs.push(await runOne());
    const leasesHeld = await stack.db.connectorLease.count({ where: { holder: seeded.workerId } });
    const samplesWritten = (await stack.db.metricSample.count()) - samplesBefore;
    return {
      first,
      cycles,
      wallMs: spread(runs.map((run) => run.wallMs)),
      cpuMs: spread(runs.map((run) => run.cpuMs)),
      leasesHeld,
      samplesWritten,
      samplesExpected: (cycles + 1) * seeded.connectorIds.length,
      problems: [...new Set(problems)].slice(0, 5),
    };
  } finally {
    await kafka.close();
  }
}
