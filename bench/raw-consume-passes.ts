import { consumeRaw, type ConsumeRun } from './raw-consume';

/**
 * Child process of the benchmark: raw consume passes in a process of their own, so the clients
 * are measured on the same topic in one run. Reads its task as JSON
 * from argv, prints `{ runs }` (or `{ error }`) as one JSON line. One untimed pass in a group of
 * its own first: the same warm-up the benchmark gives kafkajs in its own process.
 */
export interface PassesTask {
  /** `kafkajs-decoder`: kafkajs with the record decoding the worker installs (lib/kafka/record-decoder.ts). */
  client: 'kafkajs' | 'kafkajs-decoder' | 'platformatic';
  brokers: string[];
  topic: string;
  expected: number;
  groupPrefix: string;
  parse: boolean;
  passes: number;
  timeoutMs: number;
}

async function runPasses(task: PassesTask): Promise<ConsumeRun[]> {
  if (task.client === 'kafkajs-decoder') {
    // Before kafkajs is imported: its consumer keeps the Batch class it was loaded with.
    const installed = (await import('../lib/kafka/record-decoder')).installKafkajsFastPaths();
    if (!installed.recordBatches || !installed.batchFilter) throw new Error(`the worker's record decoding could not be installed: ${JSON.stringify(installed)}`);
  }
  const { Kafka, logLevel } = await import('kafkajs');
  const consume =
    task.client !== 'platformatic'
      ? (groupId: string, parse: boolean) => consumeRaw(new Kafka({ clientId: 'kastor-bench', brokers: task.brokers, logLevel: logLevel.NOTHING }), task.topic, task.expected, groupId, parse, task.timeoutMs)
      : await import('./raw-consume-platformatic').then(({ consumeRawPlatformatic }) => (groupId: string, parse: boolean) => consumeRawPlatformatic(task.brokers, task.topic, task.expected, groupId, parse, task.timeoutMs));
  await consume(`${task.groupPrefix}-warm-up`, task.parse);
  const runs: ConsumeRun[] = [];
  for (let pass = 1; pass <= task.passes; pass++) runs.push(await consume(`${task.groupPrefix}-${pass}`, task.parse));
  return runs;
}

try {
  const runs = await runPasses(JSON.parse(process.argv[2]) as PassesTask);
  console.log(JSON.stringify({ runs }));
} catch (error) {
  console.log(JSON.stringify({ error: (error as Error).message }));
  process.exitCode = 1;
}
