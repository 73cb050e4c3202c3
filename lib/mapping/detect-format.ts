import { parseJsonLossless } from './lossless-json';

export type TSampleFormat = 'json' | 'csv' | 'unknown';

/**
 * One CSV record (RFC 4180: comma separated, `"` quoting with `""` escapes) into its fields; null
 * when a quote is left open.
 */
export function splitCsvRecord(text: string): string[] | null {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  const line = text.replace(/\r?\n$/, '');
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"' && field === '') quoted = true;
    else if (char === ',') {
      fields.push(field);
      field = '';
    } else field += char;
  }
  if (quoted) return null;
  fields.push(field);
  return fields;
}

function isJsonObject(text: string): boolean {
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
