import { Consumer, MessagesStreamModes } from '@platformatic/kafka';
import { timePass, type ConsumeRun } from './raw-consume';

/**
 * The raw consume of raw-consume.ts with @platformatic/kafka: a fresh consumer group reads the
 * topic from the beginning until `expected` messages have arrived, no commits, the fetch sizes and
 * wait of kafkajs's consumer (1 MB per partition, 10 MB per fetch, 250 ms). Timed from the
 * `consume()` call (group join included) once the client knows the cluster, as kafkajs's from
 * `run()` after `connect()` and `subscribe()`. Needs Node ≥ 22.22: load it only there.
 */
export async function consumeRawPlatformatic(brokers: string[], topic: string, expected: number, groupId: string, parse: boolean, timeoutMs: number): Promise<ConsumeRun> {
  const consumer = new Consumer({
    clientId: 'kastor-bench',
    bootstrapBrokers: brokers,
    groupId,
    maxWaitTime: 250,
    maxBytes: 10 * 1024 * 1024,
    maxBytesPerPartition: 1024 * 1024,
    sessionTimeout: 15_000,
    heartbeatInterval: 3_000,
  });
  try {
    await consumer.metadata({ topics: [topic] });
    let count = 0;
    let firstAt: number | null = null;
    const pass = timePass();
    const stream = await consumer.consume({ topics: [topic], mode: MessagesStreamModes.EARLIEST, autocommit: false });
    const run = await new Promise<ConsumeRun>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`consumed ${count} of ${expected} events in ${timeoutMs / 1000} s`)), timeoutMs);
      stream.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      stream.on('data', (message) => {
        firstAt ??= performance.now();
        if (parse && message.value) JSON.parse(message.value.toString('utf8'));
        if (++count === expected) {
          clearTimeout(timer);
          resolve(pass.finish(count, firstAt));
        }
      });
    });
    await stream.close();
    return run;
  } finally {
    await consumer.close(true);
  }
}
