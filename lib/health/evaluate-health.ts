/** PAUSED: not consuming because someone paused or stopped it — records waiting is no stall. */
export const HEALTH_STATUSES = ['OK', 'PAUSED', 'WARN', 'STALL', 'STOP', 'ERROR'] as const;
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

/** Who paused or stopped a connector, and when (from the audit log). */
export interface StateChange {
  action: string;
  actor: string;
  /** Epoch milliseconds. */
  at: number;
}

export interface HealthInput {
  now: number;
  /** What the user asked for: a paused or stopped connector is judged as such, not as a stall. */
  desiredState?: string;
  /** The pause or stop that put it there, when the audit log has it. */
  stateChange?: StateChange | null;
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

/** Worse is higher; the overview sorts by it. */
export const HEALTH_SEVERITY: Record<HealthStatus, number> = { OK: 0, PAUSED: 1, WARN: 2, STALL: 3, STOP: 4, ERROR: 5 };

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
  const held = input.desiredState === 'PAUSED' || input.desiredState === 'STOPPED';
  // Until the workers have let go it still consumes, and is judged as running.
  if (held && input.actualState !== 'RUNNING') return heldHealth(input.desiredState!, input.stateChange ?? null, input.partitions);
  const consuming = input.actualState === 'RUNNING';
  const results = Object.entries(input.partitions).map(([key, window]) => ({
    key,
    health: evaluatePartition(window.slice(-HEALTH_WINDOW), input.now, consuming),
  }));
  const worst = results.reduce<(typeof results)[number] | null>(
    (current, candidate) => (current === null || HEALTH_SEVERITY[candidate.health.status] > HEALTH_SEVERITY[current.health.status] ? candidate : current),
    null,
  );
  if (!worst) return { status: 'OK', reason: 'no partitions observed yet' };
  if (worst.health.status === 'OK') {
    return { status: 'OK', reason: results.every((result) => result.health.reason === 'caught up') ? 'caught up' : 'all partitions progressing' };
  }
  const alike = results.filter((result) => result.health.status === worst.health.status).length;
  const others = alike > 1 ? ` (and ${alike - 1} more partition${alike > 2 ? 's' : ''})` : '';
  return { status: worst.health.status, reason: `${worst.key} ${worst.health.reason}${others}` };
}

/** "paused by ada@contoso.com at 2026-12-10 14:02 UTC; lag 300 waiting". */
function heldHealth(desiredState: string, change: StateChange | null, partitions: Record<string, OffsetObservation[]>): Health {
  const state = desiredState.toLowerCase();
  const by = change ? ` by ${change.actor} at ${new Date(change.at).toISOString().slice(0, 16).replace('T', ' ')} UTC` : '';
  const lag = Object.values(partitions).reduce((sum, window) => sum + Math.max(0, window.at(-1)?.lag ?? 0), 0);
  return { status: 'PAUSED', reason: `${state}${by}; ${lag > 0 ? `lag ${lag} waiting` : 'nothing waiting'}` };
}
