import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { KAFKA_VERSION } from '../services/kafka';
import type { LatencyRun } from './measure-latency';
import type { ProcessUsage } from './process-usage';

export interface Machine {
  nproc: number;
  cpuModel: string;
  ramGb: number;
  node: string;
  kernel: string;
  kafka: string;
  /** 1-minute load average when the run started and ended: other work on the machine skews every figure. */
  loadAverage: { start: number; end: number };
}

export function describeMachine(loadAtStart: number): Machine {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  return {
    nproc: os.availableParallelism(),
    cpuModel: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? 'unknown',
    ramGb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    kernel: os.release(),
    kafka: KAFKA_VERSION,
    loadAverage: { start: loadAtStart, end: os.loadavg()[0] },
  };
}

export interface ProcessFigures extends ProcessUsage {
  cpuSecondsPerMillionEvents: number;
}

/** One row of the table; a phase that failed keeps its label and says why. */
export interface PhaseResult {
  key: string;
  label: string;
  events?: number;
  seconds?: number;
  eventsPerSecond?: number;
  /** From connector creation (or consumer start) to the first row seen. */
  startupSeconds?: number;
  /** From connector creation until the worker reported every pipeline RUNNING. */
  runningSeconds?: number | null;
  /** Rows read at the end; more than `events` means duplicates. */
  rowsSeen?: number;
  /** Rate-limited phases are not compared with the raw consume rate. */
  comparable?: boolean;
  /** Not run on this machine; `notes` says why. */
  skipped?: boolean;
  worker?: ProcessFigures;
  engine?: ProcessFigures;
  latency?: LatencyRun;
  details?: Record<string, unknown>;
  notes: string;
  error?: string;
}

export function processFigures(usage: ProcessUsage, events: number): ProcessFigures {
  return { ...usage, cpuSecondsPerMillionEvents: usage.cpuSeconds / (events / 1_000_000) };
}

export const RAW_CONSUME_KEY = 'raw-consume';

const number = (value: number, digits = 0) => value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

export function resourceNote(name: string, figures: ProcessFigures | undefined): string {
  if (!figures) return '';
  return `${name} ${number(figures.peakRssMb)} MB peak RSS (${number(figures.startRssMb)} idle), ${number(figures.cpuSecondsPerMillionEvents, 1)} CPU-s/M events`;
}

function rows(results: PhaseResult[]): string[][] {
  const raw = results.find((result) => result.key === RAW_CONSUME_KEY)?.eventsPerSecond;
  return results.map((result) => {
    if (result.error) return [result.label, 'failed', '', result.error.split('\n')[0]];
    if (result.skipped) return [result.label, 'skipped', '—', result.notes];
    const rate = result.eventsPerSecond === undefined ? '' : number(result.eventsPerSecond);
    const ratio = result.comparable === false || raw === undefined || result.eventsPerSecond === undefined ? '—' : `${number((result.eventsPerSecond / raw) * 100)} %`;
    return [result.label, rate, ratio, result.notes];
  });
}

/** The results as one aligned table, in the order they ran. */
export function formatTable(results: PhaseResult[]): string {
  const table = [['path', 'events/s', 'of raw consume', 'notes'], ...rows(results)];
  const widths = table[0].map((_, column) => Math.max(...table.map((row) => row[column].length)));
  const numeric = new Set([1, 2]);
  const line = (row: string[]) =>
    row
      .map((cell, column) => (numeric.has(column) ? cell.padStart(widths[column]) : cell.padEnd(widths[column])))
      .join(' | ')
      .trimEnd();
  return [line(table[0]), widths.map((width) => '-'.repeat(width)).join('-|-'), ...table.slice(1).map(line)].join('\n');
}

export interface BenchReport {
  startedAt: string;
  finishedAt: string;
  machine: Machine;
  sizes: Record<string, number>;
  settings: Record<string, unknown>;
  results: PhaseResult[];
  logs: string;
}

/** Writes bench-<timestamp>.json and latest.json; returns the first one's path. */
export async function writeReport(directory: string, stamp: string, report: BenchReport): Promise<string> {
  await mkdir(directory, { recursive: true });
  const text = `${JSON.stringify(report, null, 2)}\n`;
  const file = path.join(directory, `bench-${stamp}.json`);
  await writeFile(file, text);
  await writeFile(path.join(directory, 'latest.json'), text);
  return file;
}
