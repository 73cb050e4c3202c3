import { z } from 'zod';
import { ZColumn, type TColumn } from '../connectors/connector-definition';
import { compileJsonMapping, type TMappedRecord } from './apply-json-mapping';
import { splitCsvRecord } from './detect-format';
import { JsonSyntaxError, parseJsonLossless } from './lossless-json';
import type { TJsonMappingElement, TJsonValue } from './types';

export const ZPreviewInput = z.object({
  samples: z.array(z.string()).max(1000, 'takes at most 1,000 samples'),
  format: z.enum(['json', 'csv'], { message: 'must be "json" or "csv"' }),
  columns: z.array(ZColumn).min(1, 'needs at least one column'),
});

export type TPreviewValue = string | number | boolean | null | TPreviewValue[] | { [key: string]: TPreviewValue };

export interface TPreviewRow {
  values: TPreviewValue[];
  nulls: TMappedRecord['nulls'];
}

/** JSON has no bigint: a long beyond 2^53 is shown as its exact digits. */
function toPreviewValue(value: TJsonValue): TPreviewValue {
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (Array.isArray(value)) return value.map(toPreviewValue);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, member]) => [key, toPreviewValue(member)]));
  return value;
}

function readRecord(sample: string, format: 'json' | 'csv'): { ok: true; record: unknown } | { ok: false; reason: string } {
  if (format === 'csv') {
    const fields = splitCsvRecord(sample);
    return fields ? { ok: true, record: fields } : { ok: false, reason: 'the CSV record has an unterminated quote' };
  }
  try {
    return { ok: true, record: parseJsonLossless(sample) };
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    return { ok: false, reason: `the message is not valid JSON: ${error.message}` };
  }
}

/**
 * Each sample as the row it would become, mapped by the same code the engine runs at ingestion;
 * a CSV record is read as the array of its fields, so ordinal paths (`$[0]`) address them.
 */
export function previewRows(samples: readonly string[], format: 'json' | 'csv', columns: readonly TColumn[]): TPreviewRow[] {
  const mapping: TJsonMappingElement[] = columns.map((column) => ({ column: column.name, datatype: column.type, path: column.path, transform: column.transform }));
  const mapRecord = compileJsonMapping(mapping, columns);
  return samples.map((sample) => {
    const read = readRecord(sample, format);
    if (!read.ok) return { values: columns.map(() => null), nulls: columns.map((column) => ({ column: column.name, reason: read.reason })) };
    const mapped = mapRecord(read.record);
    return { values: mapped.values.map(toPreviewValue), nulls: mapped.nulls };
  });
}
