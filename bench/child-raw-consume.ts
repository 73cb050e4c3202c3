import { execFile, execFileSync } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { PhaseResult } from './bench-report';
import type { PassesTask } from './raw-consume-passes';
import { summarizePasses, type ConsumeRun, type PassesSummary } from './raw-consume';

const root = path.resolve(import.meta.dirname, '..');
/** @platformatic/kafka's floor (its `engines`: ≥ 22.22 on the 22 line). */
const MINIMUM = [22, 22] as const;

/** The Node the comparison runs under, or why there is none. */
export type Node22 = { path: string; version: string } | { missing: string };

function versionOf(node: string): string | null {
  try {
    return execFileSync(node, ['--version'], { encoding: 'utf8', timeout: 10_000 }).trim();
  } catch {
    return null;
  }
}

function recentEnough(version: string): boolean {
  const [major, minor] = version.replace(/^v/, '').split('.').map(Number);
  return major > MINIMUM[0] || (major === MINIMUM[0] && minor >= MINIMUM[1]);
}

/**
 * KASTOR_BENCH_NODE22 (a node binary), else the `node` on PATH, if it is Node ≥ 22.22: the
 * version @platformatic/kafka needs. The benchmark itself may run on Node 20.
 */
export function findNode22(env: Record<string, string | undefined>): Node22 {
  const given = env.KASTOR_BENCH_NODE22;
  const candidate = given || 'node';
  const where = given ? `KASTOR_BENCH_NODE22 (${given})` : "PATH's node";
  const version = versionOf(candidate);
  if (version === null) return { missing: `no Node ≥ ${MINIMUM.join('.')}: ${where} does not run; set KASTOR_BENCH_NODE22 to a node binary` };
  if (!recentEnough(version)) return { missing: `no Node ≥ ${MINIMUM.join('.')}: ${where} is ${version}${given ? '' : '; set KASTOR_BENCH_NODE22 to a node binary'}` };
  return { path: candidate, version };
}

/** Raw consume passes of one client in a child process of the given Node, summarized as the in-process kafkajs passes are. */
export async function consumeRawUnder(node: string, task: PassesTask): Promise<PassesSummary> {
  const run = promisify(execFile)(node, ['--import', 'tsx', path.join(root, 'bench/raw-consume-passes.ts'), JSON.stringify(task)], {
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

const CLIENTS = { kafkajs: 'kafkajs', platformatic: '@platformatic/kafka' } as const;

interface Combination {
  /** Key part: `raw-consume-<part>` and `raw-consume-<part>-parse`. */
  part: string;
  client: keyof typeof CLIENTS;
  node: Node22;
  nodeName: string;
  /** The row this one is a multiple of (same mode), and how the note names it. */
  versus?: { part: string; name: string };
}

/**
 * The raw consume phases in child processes, beside the in-process kafkajs ones (keys
 * `raw-consume` and `raw-consume-parse`): kafkajs on the benchmark's own Node, so that the
 * process is not what differs; kafkajs on Node ≥ 22.22, so that the Node version is; then
 * @platformatic/kafka on the same Node, so that only the client is. Each note gives the multiple
 * of the row it is compared with, read from `results` when the phase ends. Without Node ≥ 22.22
 * the last two are skipped and say why.
 */
export function childRawConsumePhases(node22: Node22, consume: () => ChildConsume, results: readonly PhaseResult[]): ChildPhase[] {
  const own = `Node ${process.versions.node}`;
  const newer = 'path' in node22 ? `Node ${node22.version.replace(/^v/, '')}` : `Node ≥ ${MINIMUM.join('.')}`;
  const combinations: Combination[] = [
    { part: 'process-kafkajs', client: 'kafkajs', node: { path: process.execPath, version: process.version }, nodeName: `${own}, own process` },
    { part: 'node22-kafkajs', client: 'kafkajs', node: node22, nodeName: newer, versus: { part: 'process-kafkajs', name: `kafkajs on ${own}` } },
    { part: 'node22-platformatic', client: 'platformatic', node: node22, nodeName: newer, versus: { part: 'node22-kafkajs', name: `kafkajs on ${newer}` } },
  ];
  const rateOf = (key: string) => results.find((result) => result.key === key)?.eventsPerSecond;
  return combinations.flatMap(({ part, client, node, nodeName, versus }) =>
    [false, true].map((parse) => {
      const mode = parse ? '-parse' : '';
      return {
        key: `raw-consume-${part}${mode}`,
        label: `raw consume (${CLIENTS[client]}, ${nodeName}): ${parse ? 'count + JSON.parse' : 'count only'}`,
        run: async () => {
          if ('missing' in node) return { skipped: true, notes: node.missing };
          const summary = await consumeRawUnder(node.path, { client, ...consume(), groupPrefix: `bench-raw-${part}${mode}`, parse });
          const baseline = versus && rateOf(`raw-consume-${versus.part}${mode}`);
          return { ...summary, notes: baseline ? `${summary.notes}; ${(summary.eventsPerSecond / baseline).toFixed(2)}× ${versus.name}` : summary.notes };
        },
      };
    }),
  );
}
