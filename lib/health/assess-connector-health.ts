import { evaluateHealth, HEALTH_WINDOW, type HealthStatus, type OffsetObservation, type StateChange } from './evaluate-health';
import { assessLagTrend, LAG_TREND_SAMPLES, type LagTrend } from './lag-trend';

export interface HealthSample {
  at: Date;
  totalLag: bigint;
  partitionLag: unknown;
  partitionOffsets: unknown;
}

/** How many samples, newest first, every reader of health takes: the trend's window holds the health's. */
export const HEALTH_SAMPLES = Math.max(HEALTH_WINDOW, LAG_TREND_SAMPLES);

export interface ConnectorHealth {
  status: HealthStatus;
  reason: string;
  /** Age of the oldest unconsumed record, from the worker's last metrics cycle. */
  lagSeconds: number | null;
  /** Same as lagTrend.etaSeconds. */
  etaSeconds: number | null;
  lagTrend: LagTrend;
}

export interface HealthStatusInput {
  actualState: string;
  lastError: string | null;
  lagSeconds: number | null;
}

function numberRecord(value: unknown): Record<string, number | null> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, number | null>) : {};
}

/**
 * Health of a connector from its newest metric samples (oldest first), its reported status, what
 * the user asked for and who paused or stopped it.
 */
export function assessConnectorHealth(
  samples: HealthSample[],
  status: HealthStatusInput | null,
  now: number,
  desired: { desiredState: string; stateChange: StateChange | null } = { desiredState: 'RUNNING', stateChange: null },
): ConnectorHealth {
  const window = samples.slice(-HEALTH_WINDOW);
  const partitions: Record<string, OffsetObservation[]> = {};
  for (const sample of window) {
    const offsets = numberRecord(sample.partitionOffsets);
    for (const [key, lag] of Object.entries(numberRecord(sample.partitionLag))) {
      (partitions[key] ??= []).push({ at: sample.at.getTime(), committedOffset: offsets[key] ?? null, lag: lag ?? 0 });
    }
  }
  const actualState = status?.actualState ?? 'PENDING';
  const health = evaluateHealth({ now, ...desired, actualState, lastError: status?.lastError ?? null, partitions });
  const lagTrend = assessLagTrend(
    samples.slice(-LAG_TREND_SAMPLES).map((sample) => ({ at: sample.at.getTime(), lag: Number(sample.totalLag) })),
    actualState === 'RUNNING',
  );
  return { ...health, lagSeconds: status?.lagSeconds ?? null, etaSeconds: lagTrend.etaSeconds, lagTrend };
}
