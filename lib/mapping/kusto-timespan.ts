import { TICKS_PER_DAY, TICKS_PER_MICROSECOND, TICKS_PER_MILLISECOND, TICKS_PER_SECOND } from './kusto-datetime';

/** Kusto timespans as ticks (100 ns units) in a bigint. */

const CLOCK_PATTERN = /^([+-])?(?:(\d+)\.)?(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,7}))?)?$/;
const UNIT_PATTERN = /^([+-]?\d+(?:\.\d+)?)\s*([a-z]+)?$/i;

const TICKS_PER_UNIT: Record<string, bigint> = {
  d: TICKS_PER_DAY,
  day: TICKS_PER_DAY,
  days: TICKS_PER_DAY,
  h: 3600n * TICKS_PER_SECOND,
  hr: 3600n * TICKS_PER_SECOND,
  hrs: 3600n * TICKS_PER_SECOND,
  hour: 3600n * TICKS_PER_SECOND,
  hours: 3600n * TICKS_PER_SECOND,
  m: 60n * TICKS_PER_SECOND,
  min: 60n * TICKS_PER_SECOND,
  minute: 60n * TICKS_PER_SECOND,
  minutes: 60n * TICKS_PER_SECOND,
  s: TICKS_PER_SECOND,
  sec: TICKS_PER_SECOND,
  second: TICKS_PER_SECOND,
  seconds: TICKS_PER_SECOND,
  ms: TICKS_PER_MILLISECOND,
  milli: TICKS_PER_MILLISECOND,
  millis: TICKS_PER_MILLISECOND,
  millisecond: TICKS_PER_MILLISECOND,
  milliseconds: TICKS_PER_MILLISECOND,
  micro: TICKS_PER_MICROSECOND,
  micros: TICKS_PER_MICROSECOND,
  microsecond: TICKS_PER_MICROSECOND,
  microseconds: TICKS_PER_MICROSECOND,
  tick: 1n,
  ticks: 1n,
};

/** Multiplies a decimal text by a tick count exactly, truncating below one tick. */
function scaleDecimal(text: string, ticksPerUnit: bigint): bigint {
  const negative = text.startsWith('-');
  const [whole, fraction = ''] = text.replace(/^[+-]/, '').split('.');
  const scale = 10n ** BigInt(fraction.length);
  const magnitude = (BigInt(whole + fraction) * ticksPerUnit) / scale;
  return negative ? -magnitude : magnitude;
}

/**
 * `[-][d.]hh:mm[:ss[.fffffff]]` or a number with a unit (`1d`, `2h`, `30m`, `10s`, `100ms`,
 * `5microseconds`, `3ticks`; a bare number means days, as in `time(2)`) → ticks; null if invalid.
 */
export function parseKustoTimespan(text: string): bigint | null {
  const trimmed = text.trim();
  const clock = CLOCK_PATTERN.exec(trimmed);
  if (clock) {
    const [, sign, days = '0', hours, minutes, seconds = '0', fraction = ''] = clock;
    if (Number(hours) > 23 || Number(minutes) > 59 || Number(seconds) > 59) return null;
    const ticks =
      BigInt(days) * TICKS_PER_DAY +
      BigInt(Number(hours) * 3600 + Number(minutes) * 60 + Number(seconds)) * TICKS_PER_SECOND +
      BigInt(fraction.padEnd(7, '0'));
    return sign === '-' ? -ticks : ticks;
  }
  const withUnit = UNIT_PATTERN.exec(trimmed);
  if (withUnit) {
    const [, amount, unit = 'd'] = withUnit;
    const name = unit.toLowerCase();
    return Object.hasOwn(TICKS_PER_UNIT, name) ? scaleDecimal(amount, TICKS_PER_UNIT[name]) : null;
  }
  return null;
}

function pad(value: bigint, width: number): string {
  return value.toString().padStart(width, '0');
}

/** Ticks → `[-][d.]hh:mm:ss[.fffffff]`, the form Kusto returns. */
export function formatKustoTimespan(ticks: bigint): string {
  const sign = ticks < 0n ? '-' : '';
  const magnitude = ticks < 0n ? -ticks : ticks;
  const days = magnitude / TICKS_PER_DAY;
  const seconds = (magnitude % TICKS_PER_DAY) / TICKS_PER_SECOND;
  const fraction = magnitude % TICKS_PER_SECOND;
  const clock = `${pad(seconds / 3600n, 2)}:${pad((seconds % 3600n) / 60n, 2)}:${pad(seconds % 60n, 2)}`;
  return `${sign}${days > 0n ? `${days}.` : ''}${clock}${fraction > 0n ? `.${pad(fraction, 7)}` : ''}`;
}
