import type { LagTrend } from '@/lib/health/lag-trend';

// A fixed locale keeps numbers identical for every user and for browser tests.
const countFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const rateFormat = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

export function formatCount(value: number): string {
  return countFormat.format(value);
}

/** Rows per second, always with one decimal: "1,234.5". */
export function formatRate(value: number): string {
  return rateFormat.format(value);
}

/** A Kafka offset; null means the consumer group has not committed on that partition yet. */
export function formatOffset(value: number | null): string {
  return value === null ? '—' : countFormat.format(value);
}

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

export function formatBytes(value: number): string {
  let scaled = value;
  let unit = 0;
  while (scaled >= 1024 && unit < BYTE_UNITS.length - 1) {
    scaled /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${countFormat.format(scaled)} B` : `${rateFormat.format(scaled)} ${BYTE_UNITS[unit]}`;
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.max(0, Math.round(seconds))} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  return `${Math.round(hours / 24)} d`;
}

export function formatAgo(at: string | number, nowMs: number): string {
  const seconds = (nowMs - new Date(at).getTime()) / 1000;
  return seconds < 2 ? 'just now' : `${formatDuration(seconds)} ago`;
}

/** Local time as "2025-11-25 13:04:05", unambiguous in every locale. */
export function formatTimestamp(at: string): string {
  const date = new Date(at);
  const pad = (part: number) => String(part).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/**
 * The stored bytes of a failed record, as text. Undecodable bytes become U+FFFD and control
 * characters a middle dot, so binary payloads stay readable; React escapes the result.
 */
export function decodePreview(base64: string): string {
  let binary: string;
  try {
    binary = atob(base64);
  } catch {
    return '(the stored preview is not valid base64)';
  }
  const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
  // eslint-disable-next-line no-control-regex
  return new TextDecoder('utf-8').decode(bytes).replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '·');
}

/**
 * The health strip's "Time to drain": the trend's ETA; with no ETA and lag left, "keeping up" while
 * the health says every partition progresses, else "not draining".
 */
export function describeTimeToDrain(etaSeconds: number | null, totalLag: number, healthStatus: string): string {
  if (etaSeconds === 0 || (etaSeconds === null && totalLag === 0)) return '—';
  if (etaSeconds !== null) return formatDuration(etaSeconds);
  return healthStatus === 'OK' ? 'keeping up' : 'not draining';
}

/** The lag card's line under the figure; the health strip's "Time to drain" reads the same trend. */
export function describeLagTrend(trend: LagTrend, actualState: string): string {
  switch (trend.direction) {
    case 'caught-up':
      return 'caught up';
    case 'draining':
      return `draining · about ${formatDuration(trend.etaSeconds ?? 0)} to catch up`;
    case 'growing':
      return `growing by ${formatRate(trend.ratePerSecond)} records/s${actualState === 'RUNNING' ? '' : ` · ${actualState.toLowerCase()}`}`;
    case 'flat':
      return actualState === 'RUNNING' ? 'steady' : `waiting · ${actualState.toLowerCase()}`;
    default:
      return 'records not yet committed';
  }
}
