import { DuckDBIntervalValue, DuckDBTimestampValue, type DuckDBValue } from '@duckdb/node-api';
import { formatKustoDatetime, TICKS_PER_DAY, TICKS_PER_MICROSECOND } from '../../lib/mapping/kusto-datetime';
import { formatKustoTimespan } from '../../lib/mapping/kusto-timespan';
import { parseJsonLossless } from '../../lib/mapping/lossless-json';
import type { TKustoColumnType } from '../../lib/mapping/types';
import type { TWireValue } from '../protocol/result-table';

const SAFE_MAX = BigInt(Number.MAX_SAFE_INTEGER);
const SAFE_MIN = BigInt(Number.MIN_SAFE_INTEGER);

function integerOf(value: DuckDBValue): number | bigint {
  if (typeof value !== 'bigint') return Number(value);
  return value <= SAFE_MAX && value >= SAFE_MIN ? Number(value) : value;
}

/** Kusto writes non-finite reals as the strings "NaN", "Infinity" and "-Infinity". */
function realOf(value: DuckDBValue): number | string {
  const number = Number(value);
  if (Number.isFinite(number)) return number;
  return Number.isNaN(number) ? 'NaN' : number > 0 ? 'Infinity' : '-Infinity';
}

function intervalTicks(value: DuckDBIntervalValue): bigint {
  // Months only arise from DuckDB calendar arithmetic; count them as 30 days like DuckDB's epoch_us.
  return (BigInt(value.months * 30 + value.days) * TICKS_PER_DAY) + value.micros * TICKS_PER_MICROSECOND;
}

/** A DuckDB value in the JSON form Kusto puts on the wire for a column of `type`. */
export function readResultValue(value: DuckDBValue, type: TKustoColumnType): TWireValue {
  if (value === null || value === undefined) return type === 'string' ? '' : null;
  switch (type) {
    case 'bool':
      return Boolean(value);
    case 'int':
    case 'long':
      return integerOf(value);
    case 'real':
      return realOf(value);
    case 'decimal':
      // Kusto sends decimals as strings to keep their precision.
      return String(value);
    case 'string':
      return String(value);
    case 'datetime':
      return value instanceof DuckDBTimestampValue && value.isFinite ? formatKustoDatetime(value.micros * TICKS_PER_MICROSECOND) : null;
    case 'timespan':
      return value instanceof DuckDBIntervalValue ? formatKustoTimespan(intervalTicks(value)) : null;
    case 'guid':
      return String(value);
    case 'dynamic':
      return parseJsonLossless(String(value));
  }
}
