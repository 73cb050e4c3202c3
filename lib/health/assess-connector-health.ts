import { estimateDrainSeconds, evaluateHealth, HEALTH_WINDOW, type HealthStatus, type OffsetObservation } from './evaluate-health';

export interface HealthSample {
  at: Date;
  totalLag: bigint;
  partitionLag: unknown;
  partitionOffsets: unknown;
}

export interface ConnectorHealth {
  status: HealthStatus;
  reason: string;
  /** Age of the oldest unconsumed record, from the worker's last metrics cycle. */
  lagSeconds: number | null;
  etaSeconds: number | null;
}

function numberRecord(value: unknown): Record<string, number | null> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, number | null>) : {};
}

/** Health of a connector from its newest metric samples (oldest first) and its reported status. */
export function assessConnectorHealth(
  samples: HealthSample[],
  status: { actualState: string; lastError: string | null; lagSeconds: number | null } | null,
  now: number,
): ConnectorHealth {
  const window = samples.slice(-HEALTH_WINDOW);
  const partitions: Record<string, OffsetObservation[]> = {};
  for (const sample of window) {
    const offsets = numberRecord(sample.partitionOffsets);
    for (const [key, lag] of Object.entries(numberRecord(sample.partitionLag))) {
      (partitions[key] ??= []).push({ at: sample.at.getTime(), committedOffset: offsets[key] ?? null, lag: lag ?? 0 });
    }
  }
  const health = evaluateHealth({ now, actualState: status?.actualState ?? 'PENDING', lastError: status?.lastError ?? null, partitions });
  return {
    ...health,
    lagSeconds: status?.lagSeconds ?? null,
    etaSeconds: estimateDrainSeconds(window.map((sample) => ({ at: sample.at.getTime(), lag: Number(sample.totalLag) }))),
  };
}
