import type { Kafka } from 'kafkajs';

export interface ConsumeRun {
  events: number;
  seconds: number;
  /** From `run()` to the first message: the group join. */
  startupSeconds: number;
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
    const started = performance.now();
    const done = new Promise<number>((resolve, reject) => {
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
            resolve(performance.now());
          }
        },
      });
    });
    const finished = await done;
    return { events: count, seconds: (finished - started) / 1000, startupSeconds: ((firstAt ?? finished) - started) / 1000 };
  } finally {
    await consumer.disconnect();
  }
}
