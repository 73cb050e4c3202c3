import type { TCsvOptions } from '../connectors/connector-definition';

/**
 * One delimited record (RFC 4180 with a chosen delimiter and quote: a quoted field may hold the
 * delimiter, and a doubled quote inside it is one quote) into its fields; null when a quote is
 * left open. A trailing line break is not part of the last field.
 */
export function splitDelimitedRecord(text: string, delimiter = ',', quote = '"'): string[] | null {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  const line = text.replace(/\r?\n$/, '');
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quoted) {
      if (char === quote && line[i + 1] === quote) {
        field += quote;
        i++;
      } else if (char === quote) quoted = false;
      else field += char;
    } else if (char === quote && field === '') quoted = true;
    else if (char === delimiter) {
      fields.push(field);
      field = '';
    } else field += char;
  }
  if (quoted) return null;
  fields.push(field);
  return fields;
}

export type TCsvRecord = { ok: true; record: Record<string, string> } | { ok: true; header: true } | { ok: false; reason: string };

/**
 * A CSV record as an object keyed by the field names, as the worker hands it to the JSON mapping.
 * The header line itself (every field equal to its name) is recognised and not a record. Fewer
 * fields than names is refused — ADX would shift or drop values silently; extra fields are ignored,
 * as ADX's ordinal mapping does.
 */
export function readCsvRecord(text: string, options: Pick<TCsvOptions, 'delimiter' | 'quote' | 'fields' | 'header'>): TCsvRecord {
  const values = splitDelimitedRecord(text, options.delimiter, options.quote);
  if (values === null) return { ok: false, reason: 'the CSV record has an unterminated quote' };
  const { fields } = options;
  if (options.header && values.length >= fields.length && fields.every((name, index) => values[index].trim() === name)) return { ok: true, header: true };
  if (values.length < fields.length) {
    return { ok: false, reason: `the CSV record has ${values.length} field${values.length === 1 ? '' : 's'}, fewer than the ${fields.length} the connector reads (${fields.join(', ')})` };
  }
  const record: Record<string, string> = {};
  fields.forEach((name, index) => {
    record[name] = values[index];
  });
  return { ok: true, record };
}

/** The names of a header-less CSV topic's fields: field1…fieldN. */
export function ordinalFieldNames(count: number): string[] {
  return Array.from({ length: count }, (_, index) => `field${index + 1}`);
}

const NUMBER_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Whether a record reads as a header line of the others: every field is non-empty, distinct and
 * not a number, and some column holds a number in a data record where the header has a name.
 */
export function looksLikeHeader(candidate: string[], dataRecords: string[][]): boolean {
  if (candidate.length === 0 || new Set(candidate).size !== candidate.length) return false;
  if (candidate.some((field) => field.trim() === '' || NUMBER_TEXT.test(field.trim()))) return false;
  const others = dataRecords.filter((record) => record.join('\u0000') !== candidate.join('\u0000'));
  if (others.length === 0) return true;
  return candidate.some((_, index) => others.some((record) => record[index] !== undefined && NUMBER_TEXT.test(record[index].trim())));
}
