import type { Client as KustoClient } from 'azure-kusto-data';
import type { Producer } from 'kafkajs';
import { producePaced } from './produce-events';
import { countRows } from './wait-for-rows';

export const LATENCY_POLL_MS = 50;

export interface LatencyRun {
  events: number;
  /** Rate the producer achieved. */
  eventsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Polls are issued every LATENCY_POLL_MS; this is the mean time between the answers, the real resolution. */
  meanPollPeriodMs: number;
  /** Seqs never seen before the deadline. */
  missing: number;
}

export interface LatencyOptions {
  kusto: KustoClient;
  producer: Producer;
  database: string;
  table: string;
  topic: string;
  partitions: number;
  rate: number;
  seconds: number;
  /** How long to wait for the last rows after the producer has finished. */
  drainTimeoutMs: number;
}

function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];
}

/** Sends seq 0 and waits for it, so the consumer group has joined before anything is timed. */
async function warmUp(options: LatencyOptions): Promise<void> {
  await options.producer.send({ topic: options.topic, messages: [{ partition: 0, value: JSON.stringify({ seq: 0, sentAt: Date.now() }) }] });
  const deadline = Date.now() + options.drainTimeoutMs;
  while ((await countRows(options.kusto, options.database, options.table).catch(() => 0)) < 1) {
    if (Date.now() > deadline) throw new Error(`the warm-up record did not reach ${options.table} in ${options.drainTimeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * Produce→queryable latency: the producer records each seq's send time while a poller asks
 * `T | where Seq > W | project Seq` every 50 ms, W being the highest seq below which every seq
 * has been seen. Partitions land out of order, so polling above the highest seq seen would skip
 * a slower partition's rows for good; the watermark re-reads the few rows above it instead. An
 * event's latency is when a poll's answer first held it minus its send time.
 */
export async function measureLatency(options: LatencyOptions): Promise<LatencyRun> {
  const { kusto, database, table } = options;
  await warmUp(options);
  const total = options.rate * options.seconds;
  const seenAt = new Float64Array(total + 1);
  let watermark = 0;
  let polls = 0;
  let producerDone = false;
  let drainDeadline = Infinity;
  const firstPoll = performance.now();
  let lastAnswer = firstPoll;

  const polling = (async () => {
    while (watermark < total && Date.now() < drainDeadline) {
      const issued = performance.now();
      const response = await kusto.execute(database, `${table} | where Seq > ${watermark} | project Seq`).catch(() => null);
      const now = Date.now();
      lastAnswer = performance.now();
      polls += 1;
      for (const row of response?.primaryResults[0].toJSON<{ Seq: number }>().data ?? []) {
        const seq = Number(row.Seq);
        if (seq >= 1 && seq <= total && seenAt[seq] === 0) seenAt[seq] = now;
      }
      while (watermark < total && seenAt[watermark + 1] !== 0) watermark += 1;
      const wait = LATENCY_POLL_MS - (performance.now() - issued);
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      if (producerDone && drainDeadline === Infinity) drainDeadline = Date.now() + options.drainTimeoutMs;
    }
  })();
  const produced = await producePaced(options.producer, options.topic, options.partitions, options.rate, options.seconds);
  producerDone = true;
  await polling;

  const latencies: number[] = [];
  for (let seq = 1; seq <= total; seq++) if (seenAt[seq] !== 0) latencies.push(seenAt[seq] - produced.sentAt[seq]);
  latencies.sort((a, b) => a - b);
  return {
    events: total,
    eventsPerSecond: total / produced.seconds,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    maxMs: latencies.at(-1) ?? Number.NaN,
    meanPollPeriodMs: polls > 1 ? (lastAnswer - firstPoll) / polls : Number.NaN,
    missing: total - latencies.length,
  };
}
