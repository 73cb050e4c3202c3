import { z } from 'zod';
import { ZCsvOptions, type TColumn, type TCsvOptions } from '../connectors/connector-definition';
import { inferAvroColumns } from '../schema-registry/avro-records';

export { columnNameFor, jsonPathFor } from './column-naming';
import { columnNameFor, jsonPathFor, words } from './column-naming';
import { readCsvRecord } from './read-csv-record';
import { detectCsvLayout } from './sample-layout';
import { parseKustoDatetime } from './kusto-datetime';
import { parseJsonLossless } from './lossless-json';
import type { TJsonValue } from './types';

export const ZInferColumnsInput = z
  .object({
    samples: z.array(z.string()).max(1000, 'takes at most 1,000 samples'),
    format: z.enum(['json', 'csv', 'avro'], { message: 'must be "json", "csv" or "avro"' }),
    /** CSV: how the lines split and the fields' names (the header's, or field1…n). */
    csv: ZCsvOptions.optional(),
    /** Avro: the writer's schema (the registry's), which types the columns exactly. */
    avroSchema: z.string().max(1_000_000).optional(),
    nestedDepth: z.number().int().min(0).max(10).default(1),
  })
  .superRefine((input, ctx) => {
    if (input.format === 'csv' && !input.csv) ctx.addIssue({ code: 'custom', path: ['csv'], message: 'is required with format "csv"' });
    if (input.format === 'avro' && !input.avroSchema) ctx.addIssue({ code: 'custom', path: ['avroSchema'], message: 'is required with format "avro"' });
    if (input.format !== 'avro' && input.samples.length === 0) ctx.addIssue({ code: 'custom', path: ['samples'], message: 'needs at least one sample message' });
  });
/** What the wizard sends; `nestedDepth` may be left to its default. */
export type TInferColumnsRequest = z.input<typeof ZInferColumnsInput>;

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const GUID_TEXT = /^\{?[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\}?$/i;
const DATE_TEXT = /^\d{4}-\d{1,2}-\d{1,2}(?:[T ]|$)/;
const CLOCK_TEXT = /^-?(?:\d+\.)?\d{1,2}:\d{2}:\d{2}(?:\.\d{1,7})?$/;
const INTEGER_TEXT = /^[+-]?\d+$/;
const REAL_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Amounts and counters grow past int32 over a table's lifetime even when today's samples are
 * small, so a field whose name ends in one of these words is a long (the reference table types
 * `win` — units won — as long). Every other integer field is an int when all samples fit 32 bits.
 */
const LONG_WORDS = new Set(['win', 'wins', 'won', 'amount', 'total', 'count', 'sum', 'bytes', 'size', 'balance', 'price', 'cost', 'quantity', 'units']);

/**
 * An integer is read as a Unix time only when its name says it is a time and every sample falls
 * in 2000–2100 for one unit; those ranges do not overlap, so the magnitude picks the unit.
 */
const TIME_WORDS = new Set(['time', 'timestamp', 'ts', 'date', 'at', 'epoch', 'created', 'updated', 'when']);
const EPOCH_2000_S = 946_684_800;
const EPOCH_2100_S = 4_102_444_800;
const UNIX_UNITS = [
  { transform: 'DateTimeFromUnixSeconds', scale: 1 },
  { transform: 'DateTimeFromUnixMilliseconds', scale: 1e3 },
  { transform: 'DateTimeFromUnixMicroseconds', scale: 1e6 },
  { transform: 'DateTimeFromUnixNanoseconds', scale: 1e9 },
] as const;

type TValueKind = 'bool' | 'integer' | 'real' | 'text' | 'nested';

interface TFieldStats {
  segments: string[];
  kinds: Set<TValueKind>;
  integers: number[];
  texts: string[];
}

function isObject(value: TJsonValue): value is { [key: string]: TJsonValue } {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function statsFor(fields: Map<string, TFieldStats>, segments: string[]): TFieldStats {
  const key = JSON.stringify(segments);
  let stats = fields.get(key);
  if (!stats) {
    stats = { segments, kinds: new Set(), integers: [], texts: [] };
    fields.set(key, stats);
  }
  return stats;
}

function record(fields: Map<string, TFieldStats>, segments: string[], kind: TValueKind, value?: TJsonValue): void {
  const stats = statsFor(fields, segments);
  stats.kinds.add(kind);
  if (kind === 'integer') stats.integers.push(Number(value));
  if (kind === 'text') stats.texts.push(value as string);
}

function collectJson(fields: Map<string, TFieldStats>, object: { [key: string]: TJsonValue }, prefix: string[], depth: number, nestedDepth: number): void {
  for (const [name, value] of Object.entries(object)) {
    const segments = [...prefix, name];
    // A null says nothing about the type but still makes the field a column.
    if (value === null) statsFor(fields, segments);
    else if (isObject(value) && depth < nestedDepth) collectJson(fields, value, segments, depth + 1, nestedDepth);
    else if (typeof value === 'object') record(fields, segments, 'nested');
    else if (typeof value === 'boolean') record(fields, segments, 'bool');
    else if (typeof value === 'bigint' || Number.isInteger(value)) record(fields, segments, 'integer', value);
    else if (typeof value === 'number') record(fields, segments, 'real');
    else record(fields, segments, 'text', value);
  }
}

function typeOfTexts(texts: readonly string[], parseNumbers: boolean): Pick<TColumn, 'type' | 'transform'> {
  const all = (test: (text: string) => boolean) => texts.length > 0 && texts.every(test);
  if (all((text) => DATE_TEXT.test(text.trim()) && parseKustoDatetime(text) !== null)) return { type: 'datetime' };
  if (all((text) => GUID_TEXT.test(text.trim()))) return { type: 'guid' };
  if (all((text) => CLOCK_TEXT.test(text.trim()))) return { type: 'timespan' };
  if (parseNumbers) {
    if (all((text) => /^(true|false)$/i.test(text.trim()))) return { type: 'bool' };
    if (all((text) => INTEGER_TEXT.test(text.trim()))) return { type: texts.every((text) => fitsInt32(Number(text))) ? 'int' : 'long' };
    if (all((text) => REAL_TEXT.test(text.trim()))) return { type: 'real' };
  }
  return { type: 'string' };
}

function fitsInt32(value: number): boolean {
  return value >= INT32_MIN && value <= INT32_MAX;
}

function typeOfIntegers(stats: TFieldStats): Pick<TColumn, 'type' | 'transform'> {
  const name = stats.segments[stats.segments.length - 1];
  const nameWords = words(name).map((word) => word.toLowerCase());
  if (nameWords.some((word) => TIME_WORDS.has(word))) {
    const unit = UNIX_UNITS.find(({ scale }) => stats.integers.every((value) => value >= EPOCH_2000_S * scale && value < EPOCH_2100_S * scale));
    if (unit) return { type: 'datetime', transform: unit.transform };
  }
  if (LONG_WORDS.has(nameWords[nameWords.length - 1] ?? '')) return { type: 'long' };
  return { type: stats.integers.every(fitsInt32) ? 'int' : 'long' };
}

function typeOf(stats: TFieldStats): Pick<TColumn, 'type' | 'transform'> {
  const { kinds } = stats;
  if (kinds.size === 0) return { type: 'string' };
  if (kinds.has('nested')) return { type: 'dynamic' };
  if (kinds.size === 1) {
    const [kind] = kinds;
    if (kind === 'bool') return { type: 'bool' };
    if (kind === 'integer') return typeOfIntegers(stats);
    if (kind === 'real') return { type: 'real' };
    return typeOfTexts(stats.texts, false);
  }
  if (kinds.size === 2 && kinds.has('integer') && kinds.has('real')) return { type: 'real' };
  // Mixed scalars (an id sent as 42 by one producer and "42" by another): text holds them all.
  return { type: 'string' };
}

function uniqueNames(fields: TFieldStats[]): string[] {
  const taken = new Set<string>();
  return fields.map((field) => {
    const base = columnNameFor(field.segments);
    let name = base;
    for (let n = 2; taken.has(name); n++) name = `${base}_${n}`;
    taken.add(name);
    return name;
  });
}

function parseObject(sample: string): { [key: string]: TJsonValue } | null {
  try {
    const value = parseJsonLossless(sample);
    return isObject(value) ? value : null;
  } catch {
    return null;
  }
}

function inferJsonColumns(samples: readonly string[], nestedDepth: number): TColumn[] {
  const fields = new Map<string, TFieldStats>();
  for (const sample of samples) {
    const object = parseObject(sample);
    if (object) collectJson(fields, object, [], 0, nestedDepth);
  }
  const list = [...fields.values()];
  const names = uniqueNames(list);
  return list.map((stats, index) => ({ name: names[index], ...typeOf(stats), path: jsonPathFor(stats.segments) }));
}

/**
 * A CSV field becomes a column named after it (`player_id` → `PlayerID`, `field3` → `Field3`),
 * read by name as the worker keys each record (`$.player_id`), typed from its text.
 */
function inferCsvColumns(samples: readonly string[], options: TCsvOptions): TColumn[] {
  const records = samples.flatMap((sample) => {
    const read = readCsvRecord(sample, options);
    return read.ok && 'record' in read ? [read.record] : [];
  });
  const names = uniqueNames(options.fields.map((field) => ({ segments: [field], kinds: new Set(), integers: [], texts: [] })));
  return options.fields.map((field, index) => {
    const texts = records.map((record) => record[field]).filter((text) => text !== '');
    return { name: names[index], ...typeOfTexts(texts, true), path: jsonPathFor([field]) };
  });
}

/**
 * Proposes a table's columns from sample messages (CSV: by its field names; Avro: from the
 * writer's schema). Nested objects are flattened into columns down to `nestedDepth` levels
 * (0 keeps every object as one dynamic column); arrays stay dynamic.
 */
export function inferColumns(
  samples: readonly string[],
  format: 'json' | 'csv' | 'avro',
  nestedDepth = 1,
  options: { csv?: TCsvOptions; avroSchema?: string } = {},
): TColumn[] {
  if (format === 'avro') return inferAvroColumns(options.avroSchema!, nestedDepth);
  if (format === 'csv') {
    const layout = options.csv ?? detectCsvLayout(samples) ?? ZCsvOptions.parse({ fields: ['field1'] });
    return inferCsvColumns(samples, layout);
  }
  return inferJsonColumns(samples, nestedDepth);
}
