import { closeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { openServiceLog, readLogTail, spawnTiedToParent, stopChild, waitUntilReady } from '../services/service-process';

export interface NodeService {
  name: string;
  logFile: string;
  /** The match of `readyLine` in the log, when one was asked for. */
  readyMatch: RegExpMatchArray | null;
  onExit(listener: (code: number | null) => void): void;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
  /** Sends a signal without waiting, e.g. SIGKILL to simulate a crash. */
  kill(signal: NodeJS.Signals): void;
  stop(): Promise<void>;
}

export interface NodeServiceOptions {
  name: string;
  script: string;
  args?: string[];
  env?: Record<string, string>;
  logFile: string;
  /** Ready once the log shows this line… */
  readyLine?: RegExp;
  /** …or once this URL answers with a 2xx. */
  readyUrl?: string;
  /** Run the script with plain node: no tsx, no react-server condition. */
  plainNode?: boolean;
  timeoutMs?: number;
}

const root = path.resolve(import.meta.dirname, '..');

/** Node's flag for the server processes: see startNodeService. */
export const SERVER_CONDITION = '--conditions=react-server';

/** A Node process of the product (engine, worker, web) that dies with this one. */
export async function startNodeService(options: NodeServiceOptions): Promise<NodeService> {
  const logFd = await openServiceLog(options.logFile);
  const logStart = (await readFile(options.logFile, 'utf8').catch(() => '')).length;
  // react-server: the condition under which 'server-only' (which marks modules holding Prisma,
  // Kafka, Kusto or secrets) resolves to its empty module; the worker and the other TypeScript
  // services are server code, only Next builds client bundles from lib/.
  // A bundle (the worker's, scripts/build-worker.ts) is JavaScript already; TypeScript runs through tsx.
  const runner = options.plainNode ? [] : options.script.endsWith('.mjs') ? [SERVER_CONDITION] : [SERVER_CONDITION, '--import', 'tsx'];
  const child = spawnTiedToParent(process.execPath, [...runner, options.script, ...(options.args ?? [])], {
    cwd: root,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', logFd, logFd],
    deathSignal: 'SIGTERM',
  });
  closeSync(logFd);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let readyMatch: RegExpMatchArray | null = null;
  await waitUntilReady({
    child,
    timeoutMs: options.timeoutMs ?? 120_000,
    intervalMs: 250,
    check: async () => {
      if (options.readyLine) {
        readyMatch = (await readFile(options.logFile, 'utf8')).slice(logStart).match(options.readyLine);
        if (!readyMatch) return false;
      }
      if (options.readyUrl) return (await fetch(options.readyUrl)).ok;
      return true;
    },
    describeFailure: async (reason) => new Error(`${options.name} ${reason}; last lines of ${options.logFile}:\n${await readLogTail(options.logFile)}`),
  });
  return {
    name: options.name,
    logFile: options.logFile,
    readyMatch,
    onExit: (listener) => child.once('exit', (code) => listener(code)),
    exited,
    kill: (signal) => child.kill(signal),
    stop: () => stopChild(child, [
      { signal: 'SIGTERM', waitMs: 20_000 },
      { signal: 'SIGKILL', waitMs: 5_000 },
    ]),
  };
}
