import { formatKustoDatetime, parseKustoDatetime } from './kusto-datetime';
import { formatKustoTimespan, parseKustoTimespan } from './kusto-timespan';
import { stringifyJsonLossless } from './lossless-json';
import type { TJsonValue, TKustoColumnType, TKustoValue } from './types';

export type TConversion = { ok: true; value: TKustoValue } | { ok: false; reason: string };

const INT32_MIN = -(2n ** 31n);
const INT32_MAX = 2n ** 31n - 1n;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const INTEGER_TEXT = /^[+-]?\d+$/;
const REAL_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const NON_FINITE: Record<string, number> = { nan: NaN, infinity: Infinity, '+infinity': Infinity, '-infinity': -Infinity, inf: Infinity, '+inf': Infinity, '-inf': -Infinity };
const GUID_TEXT = /^\{?([0-9a-f]{8})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{12})\}?$/i;

/** How a source value reads in a message: strings quoted, anything else as JSON, long ones cut. */
export function describeValue(value: unknown): string {
  const text = typeof value === 'string' ? `'${value}'` : stringifyJsonLossless(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function invalid(value: unknown, type: TKustoColumnType): TConversion {
  return { ok: false, reason: `${describeValue(value)} is not a valid ${type}` };
}

function toInteger(value: unknown): bigint | null {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : null;
  if (typeof value === 'string' && INTEGER_TEXT.test(value.trim())) return BigInt(value.trim());
  return null;
}

function toReal(value: unknown): number | null {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (REAL_TEXT.test(text)) return Number(text);
  const lower = text.toLowerCase();
  return Object.hasOwn(NON_FINITE, lower) ? NON_FINITE[lower] : null;
}

function toBool(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  if (value === 1 || value === 0) return value === 1;
  if (typeof value === 'string') {
    const text = value.trim().toLowerCase();
    if (text === 'true' || text === '1') return true;
    if (text === 'false' || text === '0') return false;
  }
  return null;
}

function toText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean' || typeof value === 'number' || typeof value === 'bigint') return String(value);
  return stringifyJsonLossless(value);
}

/**
 * Kusto's ingestion conversion of one source value to a column type: a value that does not fit
 * the type becomes null (scalar-data-types/index.md), and the reason says why.
 */
export function convertToKustoType(value: unknown, type: TKustoColumnType): TConversion {
  if (value === null || value === undefined) return { ok: true, value: null };
  switch (type) {
    case 'bool': {
      const bool = toBool(value);
      return bool === null ? invalid(value, type) : { ok: true, value: bool };
    }
    case 'int': {
      // `| 0` turns -0 into 0, as the bigint route below does.
      if (typeof value === 'number') return Number.isInteger(value) && value >= -2147483648 && value <= 2147483647 ? { ok: true, value: value | 0 } : invalid(value, type);
      const integer = toInteger(value);
      return integer === null || integer < INT32_MIN || integer > INT32_MAX ? invalid(value, type) : { ok: true, value: Number(integer) };
    }
    case 'long': {
      const integer = toInteger(value);
      return integer === null || integer < INT64_MIN || integer > INT64_MAX ? invalid(value, type) : { ok: true, value: integer };
    }
    case 'real':
    case 'decimal': {
      const real = toReal(value);
      return real === null ? invalid(value, type) : { ok: true, value: real };
    }
    case 'string':
      return { ok: true, value: toText(value) };
    case 'datetime': {
      const ticks = typeof value === 'string' ? parseKustoDatetime(value) : null;
      return ticks === null ? invalid(value, type) : { ok: true, value: formatKustoDatetime(ticks) };
    }
    case 'timespan': {
      const ticks = typeof value === 'string' ? parseKustoTimespan(value) : null;
      return ticks === null ? invalid(value, type) : { ok: true, value: formatKustoTimespan(ticks) };
    }
    case 'guid': {
      const match = typeof value === 'string' ? GUID_TEXT.exec(value.trim()) : null;
      return match ? { ok: true, value: match.slice(1, 6).join('-').toLowerCase() } : invalid(value, type);
    }
    case 'dynamic':
      return { ok: true, value: value as TJsonValue };
  }
}
