/**
 * Kusto datetimes as ticks (100 ns units, Kusto's precision) since the Unix epoch, held in a
 * bigint so nothing is lost to floating point. Valid range: 0001-01-01 to 9999-12-31.
 */

export const TICKS_PER_MICROSECOND = 10n;
export const TICKS_PER_MILLISECOND = 10_000n;
export const TICKS_PER_SECOND = 10_000_000n;
export const TICKS_PER_DAY = 86_400n * TICKS_PER_SECOND;

const MIN_TICKS = BigInt(daysFromCivil(1, 1, 1)) * TICKS_PER_DAY;
const MAX_TICKS = BigInt(daysFromCivil(9999, 12, 31) + 1) * TICKS_PER_DAY - 1n;

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const ISO_PATTERN =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const RFC1123_PATTERN =
  /^(?:(?:mon|tue|wed|thu|fri|sat|sun),\s*)?(\d{1,2})\s+([a-z]{3})\s+(\d{4})\s+(\d{2}):(\d{2})(?::(\d{2}))?\s*(GMT|UTC|Z|[+-]\d{4})?$/i;

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

function civilFromDays(days: number): [number, number, number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
}

/** The first 7 digits of a fraction of a second, padded: 100 ns ticks. */
function fractionTicks(fraction: string): number {
  return fraction === '' ? 0 : Number(fraction.length >= 7 ? fraction.slice(0, 7) : fraction.padEnd(7, '0'));
}

function ticksOf(parts: { year: number; month: number; day: number; hour: number; minute: number; second: number; fraction: string; offsetMinutes: number }): bigint | null {
  const { year, month, day, hour, minute, second, fraction, offsetMinutes } = parts;
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  // Seconds of the day times 10^7 stay far below 2^53, so only the day count needs a bigint.
  const ticks =
    BigInt(daysFromCivil(year, month, day)) * TICKS_PER_DAY + BigInt((hour * 3600 + minute * 60 + second - offsetMinutes * 60) * 10_000_000 + fractionTicks(fraction));
  return isDatetimeInRange(ticks) ? ticks : null;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** Two ASCII digits at `at` as a number, or -1. */
function twoDigits(text: string, at: number): number {
  const tens = text.charCodeAt(at) - 48;
  const ones = text.charCodeAt(at + 1) - 48;
  return tens >= 0 && tens <= 9 && ones >= 0 && ones <= 9 ? tens * 10 + ones : -1;
}

/**
 * `yyyy-MM-dd[T ]HH:mm:ss[.f…][Z]`, the shape nearly every event carries, read without the
 * regular expression; anything else (other widths, offsets, spaces) is left to ISO_PATTERN.
 */
function parseCommonIsoDatetime(text: string): bigint | null | undefined {
  const length = text.length;
  if (length < 19 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return undefined;
  const separator = text.charCodeAt(10);
  if (separator !== 84 && separator !== 116 && separator !== 32) return undefined;
  const century = twoDigits(text, 0);
  const yearOfCentury = twoDigits(text, 2);
  const month = twoDigits(text, 5);
  const day = twoDigits(text, 8);
  const hour = twoDigits(text, 11);
  const minute = twoDigits(text, 14);
  const second = twoDigits(text, 17);
  if (century < 0 || yearOfCentury < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return undefined;
  let end = length;
  const last = text.charCodeAt(length - 1);
  if (last === 90 || last === 122) end--;
  let fraction = '';
  if (end > 19) {
    if (text.charCodeAt(19) !== 46 || end - 20 < 1 || end - 20 > 9) return undefined;
    for (let i = 20; i < end; i++) if (!isDigit(text.charCodeAt(i))) return undefined;
    fraction = text.slice(20, end);
  }
  return ticksOf({ year: century * 100 + yearOfCentury, month, day, hour, minute, second, fraction, offsetMinutes: 0 });
}

function offsetMinutesOf(zone: string | undefined): number {
  if (!zone || /^(z|gmt|utc)$/i.test(zone)) return 0;
  const digits = zone.replace(':', '');
  const minutes = Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5));
  return digits.startsWith('-') ? -minutes : minutes;
}

function isDatetimeInRange(ticks: bigint): boolean {
  return ticks >= MIN_TICKS && ticks <= MAX_TICKS;
}

/** ISO 8601 (`2021-10-24`, `2021-10-24 04:14:39.572`, `…T…Z`, `…+02:00`) or RFC 1123 text → ticks; null if invalid. */
export function parseKustoDatetime(text: string): bigint | null {
  const trimmed = text.trim();
  const common = parseCommonIsoDatetime(trimmed);
  if (common !== undefined) return common;
  const iso = ISO_PATTERN.exec(trimmed);
  if (iso) {
    const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = '', zone] = iso;
    return ticksOf({
      year: Number(year),
      month: Number(month),
      day: Number(day),
      hour: Number(hour),
      minute: Number(minute),
      second: Number(second),
      fraction,
      offsetMinutes: offsetMinutesOf(zone),
    });
  }
  const rfc = RFC1123_PATTERN.exec(trimmed);
  if (rfc) {
    const [, day, monthName, year, hour, minute, second = '0', zone] = rfc;
    const month = MONTHS.indexOf(monthName.toLowerCase()) + 1;
    if (month === 0) return null;
    return ticksOf({
      year: Number(year),
      month,
      day: Number(day),
      hour: Number(hour),
      minute: Number(minute),
      second: Number(second),
      fraction: '',
      offsetMinutes: offsetMinutesOf(zone),
    });
  }
  return null;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/** Ticks → `2021-10-24T04:14:39.5720000Z`, the form Kusto returns. */
export function formatKustoDatetime(ticks: bigint): string {
  const days = ticks >= 0n ? ticks / TICKS_PER_DAY : -((-ticks + TICKS_PER_DAY - 1n) / TICKS_PER_DAY);
  const ticksOfDay = Number(ticks - days * TICKS_PER_DAY);
  const [year, month, day] = civilFromDays(Number(days));
  const seconds = Math.floor(ticksOfDay / 10_000_000);
  const fraction = ticksOfDay % 10_000_000;
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${pad(Math.floor(seconds / 3600), 2)}:${pad(Math.floor((seconds % 3600) / 60), 2)}:${pad(seconds % 60, 2)}.${pad(fraction, 7)}Z`;
}

export type TUnixUnit = 'seconds' | 'milliseconds' | 'microseconds' | 'nanoseconds';

/** Digits to shift a Unix number by to get ticks: positive multiplies, negative divides. */
const UNIT_TICK_EXPONENT: Record<TUnixUnit, number> = { seconds: 7, milliseconds: 4, microseconds: 1, nanoseconds: -2 };

/**
 * Exact decimal scaling of a number's text by 10^exponent, truncated toward zero. Working on the
 * text keeps epoch seconds with a fraction (1635048879.572) exact where float maths would not.
 */
function scaleDecimalText(text: string, exponent: number): bigint | null {
  const match = /^([+-]?)(\d+)(?:\.(\d*))?(?:e([+-]?\d+))?$/i.exec(text.trim());
  if (!match) return null;
  const [, sign, whole, fraction = '', exp = '0'] = match;
  const shift = exponent + Number(exp);
  const digits = whole + fraction;
  const pointAt = whole.length + shift;
  let integerDigits: string;
  if (pointAt <= 0) integerDigits = '0';
  else if (pointAt >= digits.length) integerDigits = digits + '0'.repeat(pointAt - digits.length);
  else integerDigits = digits.slice(0, pointAt);
  const magnitude = BigInt(integerDigits);
  return sign === '-' ? -magnitude : magnitude;
}

/** A number of seconds/ms/µs/ns since 1970-01-01 (number, bigint or numeric text) → ticks; null if not a number or out of range. */
export function ticksFromUnix(value: unknown, unit: TUnixUnit): bigint | null {
  let text: string;
  if (typeof value === 'bigint') text = value.toString();
  else if (typeof value === 'number' && Number.isFinite(value)) text = String(value);
  else if (typeof value === 'string') text = value;
  else return null;
  const ticks = scaleDecimalText(text, UNIT_TICK_EXPONENT[unit]);
  return ticks !== null && isDatetimeInRange(ticks) ? ticks : null;
}
