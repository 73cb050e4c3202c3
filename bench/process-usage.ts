import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time and memory of a child process, read from /proc (proc(5)): utime and stime in
 * /proc/<pid>/stat, VmHWM (peak resident set) and VmRSS in /proc/<pid>/status.
 */

function clockTicksPerSecond(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}
const TICKS_PER_SECOND = clockTicksPerSecond();

function statFields(pid: number): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces; every field after it follows the last ')'.
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/**
 * The pid of this process's child whose command line contains `marker`. startNodeService does
 * not hand out its child's pid, and setpriv execs the real program, so the child is found by
 * its parent and arguments.
 */
export function findChildPid(marker: string): number {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const parent = Number(statFields(Number(entry))[1]);
      if (parent !== process.pid) continue;
      const commandLine = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ');
      if (commandLine.includes(marker)) return Number(entry);
    } catch {
      continue; // The process ended while /proc was read.
    }
  }
  throw new Error(`no child process of ${process.pid} runs "${marker}"`);
}

/** User plus system CPU seconds the process has used so far. */
export function cpuSeconds(pid: number): number {
  const fields = statFields(pid);
  // Fields 14 and 15 of stat (utime, stime); fields[0] here is field 3 (state).
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

export interface MemoryUsage {
  peakRssMb: number;
  rssMb: number;
}

export function memoryUsage(pid: number): MemoryUsage {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kilobytes = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { peakRssMb: kilobytes('VmHWM') / 1024, rssMb: kilobytes('VmRSS') / 1024 };
}

export interface ProcessUsage {
  cpuSeconds: number;
  peakRssMb: number;
  /** Resident set when tracking began: the process idle, before the phase's work. */
  startRssMb: number;
}

/** What a process used from this call until `finish()`: CPU as a delta, memory as the peak since it started. */
export function trackUsage(pid: number): { finish(): ProcessUsage } {
  const cpuAtStart = cpuSeconds(pid);
  const startRssMb = memoryUsage(pid).rssMb;
  return {
    finish: () => ({ cpuSeconds: cpuSeconds(pid) - cpuAtStart, peakRssMb: memoryUsage(pid).peakRssMb, startRssMb }),
  };
}
