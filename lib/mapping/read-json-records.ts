import { JsonSyntaxError, parseJsonLossless, parseJsonSequence } from './lossless-json';
import type { TJsonValue } from './types';

/**
 * Kusto's JSON ingestion formats (ingestion-supported-formats.md):
 * - `json`: one JSON document per line (blank lines skipped);
 * - `multijson`: documents spread over lines or concatenated; a top-level array yields its elements;
 * - `singlejson`: the whole text is one document.
 */
export type TJsonFormat = 'json' | 'multijson' | 'singlejson';

export class JsonRecordsError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = 'JsonRecordsError';
  }
}

export interface TJsonRecord {
  value: TJsonValue;
  /** 1-based line where the record starts, for messages and SourceLineNumber. */
  line: number;
}

function readJsonLines(text: string): TJsonRecord[] {
  const records: TJsonRecord[] = [];
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    if (line.trim() === '') continue;
    try {
      records.push({ value: parseJsonLossless(line), line: index + 1 });
    } catch (error) {
      if (!(error instanceof JsonSyntaxError)) throw error;
      throw new JsonRecordsError(`Record on line ${index + 1} is not valid JSON: ${error.problem} at column ${error.column}`, index + 1);
    }
  }
  return records;
}

function lineOfOffset(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

export function readJsonRecords(text: string, format: TJsonFormat): TJsonRecord[] {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  if (format === 'json') return readJsonLines(body);
  try {
    if (format === 'singlejson') {
      const start = body.length - body.trimStart().length;
      return body.trim() === '' ? [] : [{ value: parseJsonLossless(body), line: lineOfOffset(body, start) }];
    }
    const documents = parseJsonSequence(body);
    return documents.flatMap((value) => (Array.isArray(value) ? value : [value])).map((value, index) => ({ value, line: index + 1 }));
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    throw new JsonRecordsError(`The ${format} data is not valid JSON: ${error.message}`, error.line);
  }
}
