export const HEALTH_STATUSES = ['OK', 'WARN', 'STALL', 'STOP', 'ERROR'] as const;
export type HealthStatus = (typeof HEALTH_STATUSES)[number];

/** Burrow's default `intervals`: the window holds the last 10 offset observations per partition. */
export const HEALTH_WINDOW = 10;

export interface OffsetObservation {
  /** Epoch milliseconds. */
  at: number;
  /** null while the group has never committed on the partition. */
  committedOffset: number | null;
  lag: number;
}

export interface HealthInput {
  now: number;
  /** What the worker reports; FAILED is an ERROR whatever the offsets say. */
  actualState: string;
  lastError: string | null;
  /** Per partition ("topic/partition"), observations oldest first. */
  partitions: Record<string, OffsetObservation[]>;
}

export interface Health {
  status: HealthStatus;
  reason: string;
}

const SEVERITY: Record<HealthStatus, number> = { OK: 0, WARN: 1, STALL: 2, STOP: 3, ERROR: 4 };

function seconds(ms: number): string {
  return `${Math.round(ms / 1000)} s`;
}

/**
 * One partition, Burrow's `calculatePartitionStatus` order. Burrow sees every commit; this sees
 * the committed offset once per metrics cycle, so a "commit" is a change of the committed offset,
 * and "committing without advancing" (STALL) is told apart from "not committing" (STOP) by
 * whether the connector's consumer is running at all.
 */
export function evaluatePartition(window: OffsetObservation[], now: number, consuming: boolean): Health {
  const latest = window[window.length - 1];
  if (!latest) return { status: 'OK', reason: 'no observations yet' };
  if (latest.lag <= 0) return { status: 'OK', reason: 'caught up' };
  const offsets = window.map((observation) => observation.committedOffset ?? -1);
  const lastChange = offsets.findLastIndex((offset, index) => index > 0 && offset !== offsets[index - 1]);
  const lastCommitAt = window[Math.max(0, lastChange)].at;
  const caughtUpInWindow = window.some((observation) => observation.lag <= 0);
  const idleFor = now - lastCommitAt;
  // Burrow's STOP test: idle for longer than the window's commits spanned.
  const notAdvancing = idleFor > lastCommitAt - window[0].at;
  if (window.length > 1 && notAdvancing && !caughtUpInWindow) {
    if (consuming) {
      return { status: 'STALL', reason: `committed offset stuck at ${latest.committedOffset ?? 'none'} for ${seconds(idleFor)} while running, ${latest.lag} records behind` };
    }
    return { status: 'STOP', reason: `not committing for ${seconds(idleFor)} while ${latest.lag} records behind` };
  }
  if (caughtUpInWindow) return { status: 'OK', reason: `${latest.lag} behind, but caught up within the window` };
  const lagNeverDrops = window.every((observation, index) => index === 0 || observation.lag >= window[index - 1].lag);
  if (window.length > 1 && lagNeverDrops) {
    return { status: 'WARN', reason: `lag growing: ${window[0].lag} → ${latest.lag} over ${seconds(latest.at - window[0].at)} although offsets advance` };
  }
  return { status: 'OK', reason: `${latest.lag} behind and draining` };
}

/** The connector takes its worst partition's status, as a Burrow group does (STOP and STALL kept apart). */
export function evaluateHealth(input: HealthInput): Health {
  if (input.actualState === 'FAILED') return { status: 'ERROR', reason: input.lastError ?? 'the pipeline failed' };
  const consuming = input.actualState === 'RUNNING';
  const results = Object.entries(input.partitions).map(([key, window]) => ({
    key,
    health: evaluatePartition(window.slice(-HEALTH_WINDOW), input.now, consuming),
  }));
  const worst = results.reduce<(typeof results)[number] | null>(
    (current, candidate) => (current === null || SEVERITY[candidate.health.status] > SEVERITY[current.health.status] ? candidate : current),
    null,
  );
  if (!worst) return { status: 'OK', reason: 'no partitions observed yet' };
  if (worst.health.status === 'OK') {
    return { status: 'OK', reason: results.every((result) => result.health.reason === 'caught up') ? 'caught up' : 'all partitions progressing' };
  }
  const alike = results.filter((result) => result.health.status === worst.health.status).length;
  const others = alike > 1 ? ` (and ${alike - 1} more partition${alike > 2 ? 's' : ''})` : '';
  const paused = input.actualState === 'PAUSED' || input.actualState === 'STOPPED' ? `${input.actualState.toLowerCase()}: ` : '';
  return { status: worst.health.status, reason: `${paused}${worst.key} ${worst.health.reason}${others}` };
}

/**
 * Seconds to drain the current lag at the rate it fell over the window; null when it is not
 * falling (a connector that is not catching up has no finish time).
 */
export function estimateDrainSeconds(totalLag: { at: number; lag: number }[]): number | null {
  const latest = totalLag[totalLag.length - 1];
  if (!latest) return null;
  if (latest.lag <= 0) return 0;
  const first = totalLag[0];
  const elapsedSeconds = (latest.at - first.at) / 1000;
  const drainedPerSecond = elapsedSeconds > 0 ? (first.lag - latest.lag) / elapsedSeconds : 0;
  return drainedPerSecond > 0 ? latest.lag / drainedPerSecond : null;
}
