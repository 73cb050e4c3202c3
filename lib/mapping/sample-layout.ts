import { z } from 'zod';
import { RECORD_FORMATS, ZCsvOptions, type TCsvOptions, type TRecordFormat } from '../connectors/connector-definition';
import { isJsonObject } from './detect-format';
import { looksLikeHeader, ordinalFieldNames, splitDelimitedRecord } from './read-csv-record';

/** What the wizard's Sample step learns about a topic's values, shared by the sample route and the browser. */
export interface TSampleLayout {
  format: TRecordFormat | 'unknown';
  /** CSV: the delimiter, and the header's field names when a header line was found (else field1…n). */
  csv?: TCsvOptions;
  /** Avro: the writer's schema of the newest record, with its registry id. */
  avro?: { schemaId: number; schema: string } | { error: string };
}

const CSV_DELIMITERS = [',', ';', '\t', '|'] as const;

/** Confluent wire format: magic byte 0 and a 4-byte schema id before the payload. */
export function isWireFormat(bytes: Uint8Array): boolean {
  return bytes.length > 5 && bytes[0] === 0;
}

/**
 * The CSV layout of sampled lines: the delimiter that splits every line into the same number
 * (at least two) of fields, and the header among `headerCandidates` (the first record of each
 * partition — a producer writes it first) or the samples themselves.
 */
export function detectCsvLayout(texts: readonly string[], headerCandidates: readonly string[] = []): TCsvOptions | null {
  for (const delimiter of CSV_DELIMITERS) {
    const rows = texts.map((text) => (text.trim().includes('\n') ? null : splitDelimitedRecord(text, delimiter, '"')));
    if (rows.some((row) => row === null)) continue;
    // The common width is the layout; a few short or long lines are records the error policy
    // will handle, not a reason to call the topic something else.
    const counts = new Map<number, number>();
    for (const row of rows) counts.set(row!.length, (counts.get(row!.length) ?? 0) + 1);
    const [width, count] = [...counts.entries()].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0];
    if (width < 2 || count < Math.max(2, Math.ceil(rows.length * 0.6))) continue;
    const data = (rows as string[][]).filter((row) => row.length === width);
    const header = [...headerCandidates, ...texts]
      .map((text) => splitDelimitedRecord(text, delimiter, '"'))
      .find((row): row is string[] => row !== null && row.length === width && looksLikeHeader(row.map((field) => field.trim()), data));
    return ZCsvOptions.parse({ delimiter, quote: '"', header: header !== undefined, fields: header ? header.map((field) => field.trim()) : ordinalFieldNames(width) });
  }
  return null;
}

/**
 * The format most of the values are in: Avro when at least half are in the Confluent wire format,
 * JSON when at least half are JSON objects, CSV when a delimiter splits most of them evenly. A few
 * values in another shape do not change the answer — they are records the error policy will meet
 * (the wizard lists them); unknown only when no format fits.
 */
export function detectSampleFormat(values: readonly { text: string | null; bytes: Uint8Array | null }[], headerCandidates: readonly string[] = []): Pick<TSampleLayout, 'format' | 'csv'> {
  const present = values.filter((value) => value.bytes !== null && value.bytes.length > 0);
  if (present.length === 0) return { format: 'unknown' };
  const atLeastHalf = (count: number) => count > 0 && count * 2 >= present.length;
  if (atLeastHalf(present.filter((value) => isWireFormat(value.bytes!)).length)) return { format: 'avro' };
  const texts = present.map((value) => value.text).filter((text): text is string => text !== null && text.trim() !== '');
  if (atLeastHalf(texts.filter(isJsonObject).length)) return { format: 'json' };
  const csv = atLeastHalf(texts.length) ? detectCsvLayout(texts, headerCandidates) : null;
  return csv ? { format: 'csv', csv } : { format: 'unknown' };
}

export const ZSampleFormat = z.enum([...RECORD_FORMATS, 'unknown']);
