import type { Kafka } from 'kafkajs';

export interface ConsumeRun {
  events: number;
  seconds: number;
  /** From `run()` to the first message: the group join. */
  startupSeconds: number;
  /** CPU time (user + system) of the consuming process over the pass. */
  cpuSeconds: number;
}

/** Starts timing a pass; `finish` gives its wall and CPU time, called when the last message has arrived. */
export function timePass(): { finish: (events: number, firstAt: number | null) => ConsumeRun } {
  const started = performance.now();
  const cpu = process.cpuUsage();
  return {
    finish: (events, firstAt) => {
      const finished = performance.now();
      const used = process.cpuUsage(cpu);
      return { events, seconds: (finished - started) / 1000, startupSeconds: ((firstAt ?? finished) - started) / 1000, cpuSeconds: (used.user + used.system) / 1e6 };
    },
  };
}

/**
 * Reads a topic from the beginning in a fresh consumer group until `expected` messages have
 * arrived, with the worker's fetch settings and no commits: the ceiling for anything that
 * consumes the topic through kafkajs on this broker. `parse` also JSON.parses every value.
 */
export async function consumeRaw(kafka: Kafka, topic: string, expected: number, groupId: string, parse: boolean, timeoutMs: number): Promise<ConsumeRun> {
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 250, sessionTimeout: 15_000, heartbeatInterval: 3_000 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    let count = 0;
    let firstAt: number | null = null;
    const pass = timePass();
    return await new Promise<ConsumeRun>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`consumed ${count} of ${expected} events in ${timeoutMs / 1000} s`)), timeoutMs);
      void consumer.run({
        autoCommit: false,
        partitionsConsumedConcurrently: 4,
        eachBatch: async ({ batch }) => {
          firstAt ??= performance.now();
          if (parse) for (const message of batch.messages) if (message.value) JSON.parse(message.value.toString('utf8'));
          count += batch.messages.length;
          if (count >= expected) {
            clearTimeout(timer);
            resolve(pass.finish(count, firstAt));
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
}

export interface PassesSummary extends ConsumeRun {
  eventsPerSecond: number;
  details: { passes: number[] };
  /** The median and the range, e.g. "median of 3 fresh groups (592,080–849,405/s), 2.1 CPU-s/M events; first batch after 0.1 s". */
  notes: string;
}

/** A pass takes a second or two, so one pass is mostly noise: the median of a few, with their range. */
export function summarizePasses(runs: ConsumeRun[]): PassesSummary {
  const rate = (run: ConsumeRun) => run.events / run.seconds;
  const sorted = [...runs].sort((a, b) => rate(a) - rate(b));
  const median = sorted[Math.floor(sorted.length / 2)];
  const range = `${Math.round(rate(sorted[0])).toLocaleString('en-US')}–${Math.round(rate(sorted[sorted.length - 1])).toLocaleString('en-US')}`;
  return {
    ...median,
    eventsPerSecond: rate(median),
    details: { passes: sorted.map(rate) },
    notes: `median of ${sorted.length} fresh groups (${range}/s), ${(median.cpuSeconds / (median.events / 1e6)).toFixed(1)} CPU-s/M events; first batch after ${median.startupSeconds.toFixed(1)} s`,
  };
}
