import type { MetricPoint } from '@/lib/connectors/read-connectors';
import { formatDuration, formatRate } from './format';

// Long enough to smooth out one batch commit, short enough to follow a change of pace.
const TREND_WINDOW_MS = 60_000;
const MIN_SPAN_MS = 5_000;

/**
 * How total lag moved over the last minute of samples: draining (with an ETA at that pace),
 * growing, or flat. Null while there are too few samples to say.
 */
export function describeLagTrend(points: MetricPoint[], totalLag: number): string | null {
  if (totalLag === 0) return 'caught up';
  const last = points.at(-1);
  if (!last) return null;
  const lastAt = Date.parse(last.at);
  const first = points.find((point) => Date.parse(point.at) >= lastAt - TREND_WINDOW_MS);
  if (!first) return null;
  const spanMs = lastAt - Date.parse(first.at);
  if (spanMs < MIN_SPAN_MS) return null;
  const drainPerSecond = (first.totalLag - last.totalLag) / (spanMs / 1000);
  if (drainPerSecond > 0) return `draining · about ${formatDuration(totalLag / drainPerSecond)} to catch up`;
  if (drainPerSecond < 0) return `growing by ${formatRate(-drainPerSecond)} records/s`;
  return 'not draining';
}
