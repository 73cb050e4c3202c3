import { describe, expect, it } from 'vitest';
import { ZCsvOptions } from '../../lib/connectors/connector-definition';
import { sampleDecodeFailure } from '../../lib/mapping/sample-decode';
import { detectSampleFormat } from '../../lib/mapping/sample-layout';

const csv = ZCsvOptions.parse({ fields: ['id', 'name'] });

function textValue(text: string) {
  return { text, bytes: new TextEncoder().encode(text) };
}

describe('a sample with some messages in another shape', () => {
  it('is JSON when most messages are JSON objects, and names why each other one is not', () => {
    const texts = Array.from({ length: 100 }, (_, index) => (index % 20 === 7 ? `not json #${index}` : JSON.stringify({ seq: index, player: `p${index}` })));
    expect(detectSampleFormat(texts.map(textValue))).toEqual({ format: 'json' });
    const failures = texts.flatMap((value, offset) => {
      const reason = sampleDecodeFailure({ partition: 0, offset, value, valueBase64: null }, 'json', csv);
      return reason === null ? [] : [{ offset, reason }];
    });
    expect(failures.map((failure) => failure.offset)).toEqual([7, 27, 47, 67, 87]);
    expect(failures[0].reason).toMatch(/^value is not valid JSON: /);
  });

  it('is unknown only when no format fits most messages', () => {
    expect(detectSampleFormat(['plain text', 'more text', '{"a":1}'].map(textValue))).toEqual({ format: 'unknown' });
    expect(detectSampleFormat(['{"a":1}', 'plain text'].map(textValue))).toEqual({ format: 'json' });
  });

  it('gives the worker’s reasons for a tombstone, a JSON array, binary bytes and a short CSV line', () => {
    const at = { partition: 1, offset: 5 };
    expect(sampleDecodeFailure({ ...at, value: null, valueBase64: null }, 'json', csv)).toBe('record has no value (tombstone)');
    expect(sampleDecodeFailure({ ...at, value: '[1,2]', valueBase64: null }, 'json', csv)).toBe('value is JSON but not an object');
    expect(sampleDecodeFailure({ ...at, value: null, valueBase64: '//4A' }, 'json', csv)).toBe('value is not UTF-8 text');
    expect(sampleDecodeFailure({ ...at, value: '42', valueBase64: null }, 'csv', csv)).toMatch(/^the CSV record has 1 field, fewer than the 2/);
    expect(sampleDecodeFailure({ ...at, value: '42,Ada', valueBase64: null }, 'csv', csv)).toBeNull();
  });
});
