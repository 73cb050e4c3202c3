import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BenchReport, PhaseResult } from '../../bench/bench-report';

/**
 * `npm run bench:ci` (50,000 events, short latency runs, 100 connectors in the control plane)
 * from start to finish, so the benchmark keeps working. It asserts that every phase ran and
 * reported its figures, never how fast: speed goals live in the benchmark's own output.
 */
const root = path.resolve(import.meta.dirname, '../..');

function runBenchCi(): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', 'bench:ci'], { cwd: root, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

const RAW_CONSUME = ['raw-consume', 'raw-consume-process-kafkajs', 'raw-consume-process-kafkajs-decoder', 'raw-consume-process-platformatic'].flatMap((key) => [key, `${key}-parse`]);
const THROUGHPUT = ['producer', ...RAW_CONSUME, 'worker-null-sink', 'worker-engine-streaming', 'worker-engine-queued', 'connectors'];
const LATENCY = ['latency-streaming', 'latency-queued'];
const CONTROL_PLANE = ['control-plane-overview', 'control-plane-lag-cycle'];

describe('the benchmark, small', () => {
  it('runs every phase on this machine and writes each figure to its JSON report and its table', async () => {
    const { code, output } = await runBenchCi();
    expect(code, output.slice(-3_000)).toBe(0);
    const written = /written: (\S+\.json)/.exec(output);
    expect(written, output.slice(-3_000)).not.toBeNull();
    const report = JSON.parse(await readFile(path.join(root, written![1]), 'utf8')) as BenchReport;
    const byKey = new Map<string, PhaseResult>(report.results.map((result) => [result.key, result]));
    expect(report.results.filter((result) => result.error).map((result) => `${result.key}: ${result.error}`)).toEqual([]);
    expect(report.machine.nproc).toBeGreaterThan(0);

    for (const key of THROUGHPUT) {
      const result = byKey.get(key);
      expect(result, key).toBeDefined();
      expect(result!.eventsPerSecond, key).toBeGreaterThan(0);
      // The table row: its label and the rate as printed.
      expect(output).toContain(result!.label);
    }
    for (const key of ['worker-null-sink', 'worker-engine-streaming', 'worker-engine-queued', 'connectors']) {
      const result = byKey.get(key)!;
      // Every row arrived (no fewer; more would be duplicates, also reported).
      expect(result.rowsSeen, key).toBeGreaterThanOrEqual(result.events!);
      expect(result.worker?.peakRssMb, key).toBeGreaterThan(0);
      expect(result.worker?.cpuSecondsPerMillionEvents, key).toBeGreaterThan(0);
    }
    for (const key of LATENCY) {
      const latency = byKey.get(key)?.latency;
      expect(latency, key).toBeDefined();
      expect(latency!.missing, key).toBe(0);
      expect(latency!.p50Ms, key).toBeGreaterThan(0);
      expect(latency!.p99Ms, key).toBeGreaterThanOrEqual(latency!.p50Ms);
    }
    for (const key of CONTROL_PLANE) expect(byKey.get(key)?.details, key).toBeDefined();
    // The clients compared in their own processes each say how they compare with kafkajs's.
    for (const key of ['raw-consume-process-kafkajs-decoder', 'raw-consume-process-platformatic']) expect(byKey.get(key)?.notes, key).toMatch(/× kafkajs in its own process/);
  }, 900_000);
});
