import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';

/**
 * Process plumbing shared by the local Postgres and Kafka launchers: children that die with
 * their parent, bounded shutdown, and recognising a server left behind by a crashed run.
 */

const SETPRIV = '/usr/bin/setpriv';
let setprivSupportsDeathSignal: boolean | undefined;

function canSetDeathSignal(): boolean {
  setprivSupportsDeathSignal ??=
    process.platform === 'linux' &&
    fs.existsSync(SETPRIV) &&
    spawnSync(SETPRIV, ['--pdeathsig', 'TERM', '--', 'true'], { stdio: 'ignore' }).status === 0;
  return setprivSupportsDeathSignal;
}

const liveChildren = new Map<ChildProcess, NodeJS.Signals>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const [child, signal] of liveChildren) child.kill(signal);
  });
}

/** Finds `name` on PATH, so a missing tool fails with its own name rather than a wrapper's. */
export function resolveExecutable(name: string): string | undefined {
  if (name.includes('/')) return fs.existsSync(name) ? name : undefined;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      continue;
    }
  }
  return undefined;
}

/**
 * Spawns a server that must not outlive this process. On Linux the child is started through
 * util-linux `setpriv --pdeathsig`, so the kernel signals it when this process dies, even by
 * SIGKILL or an OOM kill, which no JavaScript exit hook survives. The parent-death signal fires
 * when the spawning *thread* ends, so call this from the main thread, not a worker thread that
 * exits earlier. Where setpriv is missing, an exit hook is the best effort.
 */
export function spawnTiedToParent(
  command: string,
  args: string[],
  options: SpawnOptions & { deathSignal: NodeJS.Signals },
): ChildProcess {
  const { deathSignal, ...spawnOptions } = options;
  const child = canSetDeathSignal()
    ? spawn(SETPRIV, ['--pdeathsig', deathSignal.replace(/^SIG/, ''), '--', command, ...args], spawnOptions)
    : spawn(command, args, spawnOptions);
  installExitHook();
  liveChildren.set(child, deathSignal);
  child.once('exit', () => liveChildren.delete(child));
  return child;
}

export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Resolves true when the child has exited, false if it is still running after `timeoutMs`. */
export function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (hasExited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.off('exit', onExit);
      resolve(false);
    }, timeoutMs);
    const onExit = () => {
      clearTimeout(timer);
      resolve(true);
    };
    child.once('exit', onExit);
  });
}

export interface ShutdownStep {
  signal: NodeJS.Signals;
  waitMs: number;
}

/** Sends each signal in turn until the child exits; the last step should be SIGKILL. */
export async function stopChild(child: ChildProcess, steps: ShutdownStep[]): Promise<void> {
  for (const { signal, waitMs } of steps) {
    if (hasExited(child)) return;
    child.kill(signal);
    if (await waitForExit(child, waitMs)) return;
  }
}

/** A pid plus its kernel start time: pids are reused, the pair is not. */
export interface ProcessIdentity {
  pid: number;
  startTime: string;
}

function processStartTime(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22 (starttime); fields are counted after the parenthesised command name.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

export function identifyProcess(pid: number): ProcessIdentity | undefined {
  const startTime = processStartTime(pid);
  return startTime === undefined ? undefined : { pid, startTime };
}

export function currentProcessIdentity(): ProcessIdentity {
  return identifyProcess(process.pid) ?? { pid: process.pid, startTime: 'unknown' };
}

export function isSameProcessRunning(identity: ProcessIdentity | undefined): boolean {
  if (!identity) return false;
  const startTime = processStartTime(identity.pid);
  return startTime !== undefined && (identity.startTime === 'unknown' || startTime === identity.startTime);
}

/** Stops a process this run did not spawn (a leftover from a crashed run), escalating signals. */
export async function terminateProcess(identity: ProcessIdentity, steps: ShutdownStep[]): Promise<void> {
  for (const { signal, waitMs } of steps) {
    if (!isSameProcessRunning(identity)) return;
    try {
      process.kill(identity.pid, signal);
    } catch {
      return;
    }
    const deadline = Date.now() + waitMs;
    while (Date.now() < deadline) {
      if (!isSameProcessRunning(identity)) return;
      await sleep(100);
    }
  }
  if (isSameProcessRunning(identity)) throw new Error(`process ${identity.pid} did not exit`);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

const MAX_LOG_BYTES = 20 * 1024 * 1024;

/**
 * Opens a server's log for appending, keeping one previous generation once it grows past
 * 20 MiB. The child writes to the descriptor directly, so logging survives this process.
 */
export async function openServiceLog(file: string): Promise<number> {
  await fsp.mkdir(path.dirname(file), { recursive: true });
  const size = await fsp.stat(file).then((s) => s.size, () => 0);
  if (size > MAX_LOG_BYTES) await fsp.rename(file, `${file}.1`);
  return fs.openSync(file, 'a');
}

export async function readLogTail(file: string, lines = 40): Promise<string> {
  const text = await fsp.readFile(file, 'utf8').catch(() => '');
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** Polls `check` every `intervalMs` until it returns true, the child dies, or time runs out. */
export async function waitUntilReady(opts: {
  child: ChildProcess;
  check: () => Promise<boolean>;
  timeoutMs: number;
  intervalMs?: number;
  describeFailure: (reason: string) => Promise<Error>;
}): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  while (Date.now() < deadline) {
    if (hasExited(opts.child)) {
      const how = opts.child.signalCode ? `signal ${opts.child.signalCode}` : `code ${opts.child.exitCode}`;
      throw await opts.describeFailure(`exited with ${how} before it was ready`);
    }
    if (await opts.check().catch(() => false)) return;
    await sleep(opts.intervalMs ?? 200);
  }
  throw await opts.describeFailure(`was not ready after ${Math.round(opts.timeoutMs / 1000)} s`);
}

/**
 * An exclusive lock file (`wx`), so parallel processes (test files, `npm start` beside `npm test`)
 * do not fetch or build into one folder at once; a lock left by a process that died is taken over.
 */
export async function acquireFileLock(lockFile: string, waitingFor: string, progress: (message: string) => void): Promise<() => Promise<void>> {
  let announced = false;
  for (;;) {
    try {
      await fsp.writeFile(lockFile, JSON.stringify(currentProcessIdentity()), { flag: 'wx' });
      return () => fsp.rm(lockFile, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = await fsp.readFile(lockFile, 'utf8').then((text) => JSON.parse(text) as ProcessIdentity, () => undefined);
    if (holder && !isSameProcessRunning(holder)) {
      await fsp.rm(lockFile, { force: true });
      continue;
    }
    if (!announced) {
      progress(`waiting for process ${holder?.pid ?? '?'} to finish ${waitingFor}`);
      announced = true;
    }
    await sleep(500);
  }
}
