import type { TCsvOptions, TRecordFormat } from '../connectors/connector-definition';
import { readCsvRecord } from './read-csv-record';

/** A sampled message as the sample route returns it: the value as text, or base64 when it is not UTF-8; Avro decoded on the server. */
export interface TSampledValue {
  partition: number;
  offset: number;
  value: string | null;
  valueBase64: string | null;
  decoded?: string | null;
  decodeError?: string;
}

export interface TSampleDecodeFailure {
  partition: number;
  offset: number;
  reason: string;
}

/**
 * Why the worker would not decode this message in `format` (the reasons its decoder gives), or
 * null when it would. A CSV header line decodes: the worker skips it as a header, not an error.
 */
export function sampleDecodeFailure(message: TSampledValue, format: TRecordFormat, csv: TCsvOptions): string | null {
  if (message.value === null && message.valueBase64 === null) return 'record has no value (tombstone)';
  if (format === 'avro') return message.decoded ? null : (message.decodeError ?? 'value is not in the Confluent Avro wire format');
  if (message.value === null) return 'value is not UTF-8 text';
  if (format === 'csv') {
    const read = readCsvRecord(message.value, csv);
    return read.ok ? null : read.reason;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(message.value);
  } catch (error) {
    return `value is not valid JSON: ${(error as Error).message}`;
  }
  return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? null : 'value is JSON but not an object';
}

/** The sampled messages `format` cannot decode, each with the reason, in the order given. */
export function sampleDecodeFailures(messages: readonly TSampledValue[], format: TRecordFormat, csv: TCsvOptions): TSampleDecodeFailure[] {
  return messages.flatMap((message) => {
    const reason = sampleDecodeFailure(message, format, csv);
    return reason === null ? [] : [{ partition: message.partition, offset: message.offset, reason }];
  });
}
