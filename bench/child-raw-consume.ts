import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { PhaseResult } from './bench-report';
import type { PassesTask } from './raw-consume-passes';
import { summarizePasses, type ConsumeRun, type PassesSummary } from './raw-consume';

const root = path.resolve(import.meta.dirname, '..');

/** Raw consume passes of one client in a child process of the given Node, summarized as the in-process kafkajs passes are. */
export async function consumeRawUnder(node: string, task: PassesTask): Promise<PassesSummary> {
  const run = promisify(execFile)(node, ['--conditions=react-server', '--import', 'tsx', path.join(root, 'bench/raw-consume-passes.ts'), JSON.stringify(task)], {
    cwd: root,
    timeout: task.timeoutMs * (task.passes + 2),
    maxBuffer: 1024 * 1024,
  });
  const output = await run.then(
    ({ stdout }) => stdout,
    (error: Error & { stdout?: string; stderr?: string }) => error.stdout || `${JSON.stringify({ error: error.stderr?.trim().split('\n').pop() || error.message })}`,
  );
  const answer = JSON.parse(output.trim().split('\n').pop() ?? '{}') as { runs?: ConsumeRun[]; error?: string };
  if (!answer.runs) throw new Error(answer.error ?? 'the consume process answered nothing');
  return summarizePasses(answer.runs);
}

export interface ChildConsume {
  brokers: string[];
  topic: string;
  expected: number;
  passes: number;
  timeoutMs: number;
}

export interface ChildPhase {
  key: string;
  label: string;
  run: () => Promise<Omit<PhaseResult, 'key' | 'label'>>;
}

const CLIENTS = { kafkajs: 'kafkajs', 'kafkajs-decoder': "kafkajs + Kastor's record decoder", platformatic: '@platformatic/kafka' } as const;

interface Combination {
  /** Key part: `raw-consume-<part>` and `raw-consume-<part>-parse`. */
  part: string;
  client: keyof typeof CLIENTS;
  /** The row this one is a multiple of (same mode), and how the note names it. */
  versus?: { part: string; name: string };
}

/**
 * The raw consume phases in child processes, beside the in-process kafkajs ones (keys
 * `raw-consume` and `raw-consume-parse`), all on the benchmark's Node: kafkajs, so that the
 * process is not what differs; kafkajs with the record decoder the worker installs, so that the
 * decoder is; @platformatic/kafka, so that only the client is. Each note gives the multiple of the
 * row it is compared with, read from `results` when the phase ends.
 */
export function childRawConsumePhases(consume: () => ChildConsume, results: readonly PhaseResult[]): ChildPhase[] {
  const versusKafkajs = { part: 'process-kafkajs', name: 'kafkajs in its own process' };
  const combinations: Combination[] = [
    { part: 'process-kafkajs', client: 'kafkajs' },
    { part: 'process-kafkajs-decoder', client: 'kafkajs-decoder', versus: versusKafkajs },
    { part: 'process-platformatic', client: 'platformatic', versus: versusKafkajs },
  ];
  const rateOf = (key: string) => results.find((result) => result.key === key)?.eventsPerSecond;
  return combinations.flatMap(({ part, client, versus }) =>
    [false, true].map((parse) => {
      const mode = parse ? '-parse' : '';
      return {
        key: `raw-consume-${part}${mode}`,
        label: `raw consume (${CLIENTS[client]}, own process): ${parse ? 'count + JSON.parse' : 'count only'}`,
        run: async () => {
          const summary = await consumeRawUnder(process.execPath, { client, ...consume(), groupPrefix: `bench-raw-${part}${mode}`, parse });
          const baseline = versus && rateOf(`raw-consume-${versus.part}${mode}`);
          return { ...summary, notes: baseline ? `${summary.notes}; ${(summary.eventsPerSecond / baseline).toFixed(2)}× ${versus.name}` : summary.notes };
        },
      };
    }),
  );
}
