import { parseJsonLossless } from './lossless-json';
import { splitDelimitedRecord } from './read-csv-record';

export type TSampleFormat = 'json' | 'csv' | 'unknown';

/** One CSV record (RFC 4180: comma separated, `"` quoting with `""` escapes) into its fields; null when a quote is left open. */
export function splitCsvRecord(text: string): string[] | null {
  return splitDelimitedRecord(text, ',', '"');
}

/** Whether a text is exactly one JSON object. */
export function isJsonObject(text: string): boolean {
  try {
    const value = parseJsonLossless(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value);
  } catch {
    return false;
  }
}

/**
 * JSON when every sample is one JSON object; CSV when every sample is one record with the same
 * number (at least two) of comma-separated fields; otherwise unknown. Empty values do not count.
 */
export function detectFormat(samples: readonly (string | null)[]): TSampleFormat {
  const texts = samples.filter((sample): sample is string => sample !== null && sample.trim() !== '');
  if (texts.length === 0) return 'unknown';
  if (texts.every(isJsonObject)) return 'json';
  const widths = new Set(texts.map((text) => (text.includes('\n') && text.trim().includes('\n') ? -1 : (splitCsvRecord(text)?.length ?? -1))));
  const [width] = widths;
  return widths.size === 1 && width >= 2 ? 'csv' : 'unknown';
}
