/**
 * How a connector's total lag is moving, and when it will be drained at that pace: the one rule
 * behind the health API, the lag card and the overview, so they never disagree.
 */
export type LagTrendDirection = 'caught-up' | 'draining' | 'growing' | 'flat' | 'unknown';

export interface LagTrend {
  direction: LagTrendDirection;
  /** Records per second the lag changes by: negative while draining. 0 when flat or unknown. */
  ratePerSecond: number;
  /** Seconds to drain at the current pace: 0 when caught up, null when lag is not falling. */
  etaSeconds: number | null;
}

/** Long enough to smooth out one batch commit, short enough to follow a change of pace. */
export const LAG_TREND_WINDOW_MS = 60_000;
/** Samples the trend is read from: a metrics cycle is 2 s, so 30 cover the window. */
export const LAG_TREND_SAMPLES = 30;
const MIN_SPAN_MS = 5_000;

/**
 * The least-squares slope of total lag over the window's samples (oldest first), not the change
 * between its two ends: one sample taken mid-commit must not turn a flat lag into "growing".
 * A lag that moved by less than one record over the window, or by less than twice its scatter
 * around the fitted line, is flat. While the connector does not consume (paused, stopped,
 * failed) lag cannot drain, whatever the samples say.
 */
export function assessLagTrend(samples: { at: number; lag: number }[], consuming: boolean): LagTrend {
  const latest = samples.at(-1);
  if (!latest) return { direction: 'unknown', ratePerSecond: 0, etaSeconds: null };
  if (latest.lag <= 0) return { direction: 'caught-up', ratePerSecond: 0, etaSeconds: 0 };
  const window = samples.filter((sample) => sample.at >= latest.at - LAG_TREND_WINDOW_MS);
  const spanMs = latest.at - window[0].at;
  if (window.length < 3 || spanMs < MIN_SPAN_MS) return { direction: 'unknown', ratePerSecond: 0, etaSeconds: null };
  const meanAt = window.reduce((sum, sample) => sum + sample.at, 0) / window.length;
  const meanLag = window.reduce((sum, sample) => sum + sample.lag, 0) / window.length;
  let covariance = 0;
  let variance = 0;
  for (const sample of window) {
    covariance += (sample.at - meanAt) * (sample.lag - meanLag);
    variance += (sample.at - meanAt) ** 2;
  }
  const perMs = variance === 0 ? 0 : covariance / variance;
  // A change smaller than the lag's own scatter around the line is not a trend: a live stream
  // whose lag rises and falls with each batch (0 to 15, say) keeps up; it is not "draining in 2 min".
  let squares = 0;
  for (const sample of window) squares += (sample.lag - meanLag - perMs * (sample.at - meanAt)) ** 2;
  const scatter = Math.sqrt(squares / window.length);
  if (Math.abs(perMs * spanMs) < Math.max(1, 2 * scatter)) return { direction: 'flat', ratePerSecond: 0, etaSeconds: null };
  const ratePerSecond = perMs * 1000;
  if (ratePerSecond > 0) return { direction: 'growing', ratePerSecond, etaSeconds: null };
  if (!consuming) return { direction: 'flat', ratePerSecond: 0, etaSeconds: null };
  return { direction: 'draining', ratePerSecond, etaSeconds: latest.lag / -ratePerSecond };
}
