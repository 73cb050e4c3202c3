import type { Producer } from 'kafkajs';
import { randomGameplayEvent, toKafkaMessage } from '../lib/demo/gameplay';

export const SEND_SIZE = 5_000;
/** Paced sends in flight at once: enough that a slow one does not hold the clock, few enough to bound memory. */
const MAX_IN_FLIGHT = 16;

/**
 * Produces `count` gameplay events (~95 B each) as fast as the broker takes them, one send at a
 * time; returns their total value bytes. Give it an idempotent producer: kafkajs retries a
 * whole request when one partition of it fails (e.g. a topic whose leaders it has not learnt
 * yet), which without idempotence writes the other partitions' records twice.
 */
export async function produceGameplay(producer: Producer, topic: string, count: number): Promise<number> {
  let bytes = 0;
  for (let sent = 0; sent < count; sent += SEND_SIZE) {
    const messages = Array.from({ length: Math.min(SEND_SIZE, count - sent) }, () => toKafkaMessage(randomGameplayEvent()));
    for (const message of messages) bytes += Buffer.byteLength(message.value);
    await producer.send({ topic, messages });
  }
  return bytes;
}

export interface PacedRun {
  /** Send time (Date.now()) of each seq; index 0 unused. */
  sentAt: Float64Array;
  produced: number;
  seconds: number;
}

const TICK_MS = 5;

/**
 * Produces `{seq, sentAt}` records seq 1…rate×seconds at a steady rate, spread over the
 * partitions in turn. Each tick sends what is due by the clock, so a slow send is caught up on
 * rather than stretching the run; a record's send time is when its send began. Sends overlap, so
 * the producer must not be idempotent; a record written twice is simply seen once.
 */
export async function producePaced(producer: Producer, topic: string, partitions: number, rate: number, seconds: number): Promise<PacedRun> {
  const total = rate * seconds;
  const sentAt = new Float64Array(total + 1);
  const inFlight = new Set<Promise<unknown>>();
  const started = performance.now();
  let next = 1;
  while (next <= total) {
    const due = Math.min(total, Math.floor((rate * (performance.now() - started)) / 1000));
    if (due >= next) {
      const now = Date.now();
      const messages = [];
      for (; next <= due; next++) {
        sentAt[next] = now;
        messages.push({ partition: next % partitions, value: JSON.stringify({ seq: next, sentAt: now }) });
      }
      const sending = producer.send({ topic, messages });
      inFlight.add(sending);
      void sending.finally(() => inFlight.delete(sending)).catch(() => undefined);
      if (inFlight.size >= MAX_IN_FLIGHT) await Promise.race(inFlight);
    }
    await new Promise((resolve) => setTimeout(resolve, TICK_MS));
  }
  await Promise.all(inFlight);
  return { sentAt, produced: total, seconds: (performance.now() - started) / 1000 };
}
