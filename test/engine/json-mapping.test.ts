import { describe, expect, it } from 'vitest';
import { applyJsonMapping, identityJsonMapping } from '../../lib/mapping/apply-json-mapping';
import { convertToKustoType } from '../../lib/mapping/convert-value';
import { JsonPathError, parseJsonPath } from '../../lib/mapping/json-path';
import { parseKustoDatetime } from '../../lib/mapping/kusto-datetime';
import { formatKustoTimespan, parseKustoTimespan } from '../../lib/mapping/kusto-timespan';
import { parseJsonLossless, stringifyJsonLossless } from '../../lib/mapping/lossless-json';
import { JsonRecordsError, readJsonRecords } from '../../lib/mapping/read-json-records';
import { formatJsonMapping, ZJsonMapping, type TKustoColumn } from '../../lib/mapping/types';

describe('parseJsonPath', () => {
  it('reads the subset Kusto mappings accept', () => {
    expect(parseJsonPath('$')).toEqual([]);
    expect(parseJsonPath("$.a.b['c d'][2][\"e\"]")).toEqual([
      { kind: 'property', name: 'a' },
      { kind: 'property', name: 'b' },
      { kind: 'property', name: 'c d' },
      { kind: 'index', index: 2 },
      { kind: 'property', name: 'e' },
    ]);
  });

  it('rejects what Kusto does not support', () => {
    for (const path of ['a.b', '$..a', '$.*', '$[-1]', '$[0:2]', "$['open"]) {
      expect(() => parseJsonPath(path), path).toThrow(JsonPathError);
    }
  });
});

describe('ZJsonMapping', () => {
  it('accepts the ADX form, the legacy flat form and the mixed form the product generates', () => {
    const mapping = ZJsonMapping.parse([
      { Column: 'a', Datatype: 'long', Properties: { Path: '$.a', Transform: 'DateTimeFromUnixMilliseconds' } },
      { column: 'b', path: "$['b']", datatype: '', transform: null },
      { column: 'c', datatype: 'string', Properties: { Path: '$.c' } },
      { Column: 'd', Properties: { ConstValue: 'fixed' } },
      { Column: 'e', Properties: { Path: 'literal' } },
    ]);
    expect(mapping).toEqual([
      { column: 'a', datatype: 'long', path: '$.a', transform: 'DateTimeFromUnixMilliseconds' },
      { column: 'b', path: "$['b']" },
      { column: 'c', datatype: 'string', path: '$.c' },
      { column: 'd', constValue: 'fixed' },
      { column: 'e', constValue: 'literal' },
    ]);
    expect(JSON.parse(formatJsonMapping(mapping))[0]).toEqual({
      Column: 'a',
      Datatype: 'long',
      Properties: { Path: '$.a', Transform: 'DateTimeFromUnixMilliseconds' },
    });
  });

  it('explains what is wrong with a mapping', () => {
    const result = ZJsonMapping.safeParse([
      { column: 'a', path: '$.a', transform: 'Uppercase' },
      { column: 'b', Properties: {} },
      { column: 'c', path: '$..c' },
      { column: 'd', path: '$.d', datatype: 'varchar' },
    ]);
    expect(result.success).toBe(false);
    const messages = result.error?.issues.map((issue) => issue.message).join('\n');
    expect(messages).toContain("unknown Transform 'Uppercase'");
    expect(messages).toContain("column 'b': a Path or ConstValue is required");
    expect(messages).toContain('recursive descent');
    expect(messages).toContain("unknown Datatype 'varchar'");
    expect(ZJsonMapping.safeParse([{ column: 'a', path: '$.a' }, { column: 'a', path: '$.b' }]).error?.issues[0].message).toBe(
      "Column 'a' is mapped more than once",
    );
  });
});

describe('convertToKustoType', () => {
  it('converts values that fit and explains the ones that do not', () => {
    expect(convertToKustoType('42', 'int')).toEqual({ ok: true, value: 42 });
    expect(convertToKustoType('abc', 'int')).toEqual({ ok: false, reason: "'abc' is not a valid int" });
    expect(convertToKustoType(1.5, 'int')).toEqual({ ok: false, reason: '1.5 is not a valid int' });
    expect(convertToKustoType(2 ** 31, 'int').ok).toBe(false);
    expect(convertToKustoType(9007199254740993n, 'long')).toEqual({ ok: true, value: 9007199254740993n });
    expect(convertToKustoType('1e3', 'real')).toEqual({ ok: true, value: 1000 });
    expect(convertToKustoType('TRUE', 'bool')).toEqual({ ok: true, value: true });
    expect(convertToKustoType('yes', 'bool').ok).toBe(false);
    expect(convertToKustoType(12, 'string')).toEqual({ ok: true, value: '12' });
    expect(convertToKustoType({ a: [1] }, 'string')).toEqual({ ok: true, value: '{"a":[1]}' });
    expect(convertToKustoType('2021-10-24 04:14:39.572', 'datetime')).toEqual({ ok: true, value: '2021-10-24T04:14:39.5720000Z' });
    expect(convertToKustoType('2021-10-24T06:14:39+02:00', 'datetime')).toEqual({ ok: true, value: '2021-10-24T04:14:39.0000000Z' });
    expect(convertToKustoType('2021-02-30', 'datetime')).toEqual({ ok: false, reason: "'2021-02-30' is not a valid datetime" });
    expect(convertToKustoType(1635048879, 'datetime').ok).toBe(false);
    expect(convertToKustoType('1.02:03:04.5', 'timespan')).toEqual({ ok: true, value: '1.02:03:04.5000000' });
    expect(convertToKustoType('{6F9619FF-8B86-D011-B42D-00CF4FC964FF}', 'guid')).toEqual({ ok: true, value: '6f9619ff-8b86-d011-b42d-00cf4fc964ff' });
    expect(convertToKustoType({ a: 1 }, 'dynamic')).toEqual({ ok: true, value: { a: 1 } });
    expect(convertToKustoType(null, 'long')).toEqual({ ok: true, value: null });
    expect(convertToKustoType('1constructor', 'timespan').ok).toBe(false);
    expect(convertToKustoType('constructor', 'real').ok).toBe(false);
  });
});

describe('Kusto datetime and timespan text', () => {
  it('parses the forms Kusto accepts and rejects the rest', () => {
    expect(parseKustoDatetime('Sun, 24 Oct 2021 04:14:39 GMT')).toBe(parseKustoDatetime('2021-10-24T04:14:39Z'));
    expect(parseKustoDatetime('0001-01-01')).not.toBeNull();
    expect(parseKustoDatetime('10/24/2021')).toBeNull();
    expect(parseKustoTimespan('1d')).toBe(parseKustoTimespan('1.00:00:00'));
    expect(formatKustoTimespan(parseKustoTimespan('100ms')!)).toBe('00:00:00.1000000');
    expect(formatKustoTimespan(parseKustoTimespan('-90m')!)).toBe('-01:30:00');
    expect(parseKustoTimespan('25:00:00')).toBeNull();
  });
});

describe('applyJsonMapping', () => {
  const columns: TKustoColumn[] = [
    { name: 'Id', type: 'long' },
    { name: 'City', type: 'string' },
    { name: 'At', type: 'datetime' },
    { name: 'Score', type: 'int' },
    { name: 'Source', type: 'string' },
  ];
  const mapping = ZJsonMapping.parse([
    { column: 'Id', Properties: { Path: '$.id' } },
    { column: 'City', Properties: { Path: '$.address.city' } },
    { column: 'At', Properties: { Path: '$.ts', Transform: 'DateTimeFromUnixMilliseconds' } },
    { column: 'Score', Properties: { Path: '$.scores[1]' } },
    { column: 'Source', Properties: { ConstValue: 'kafka' } },
  ]);

  it('walks nested paths, applies transforms and constants', () => {
    const record = { id: 9007199254740993n, address: { city: 'Oslo' }, ts: 1635048879572, scores: [1, 7] };
    expect(applyJsonMapping(record, mapping, columns)).toEqual({
      values: [9007199254740993n, 'Oslo', '2021-10-24T04:14:39.5720000Z', 7, 'kafka'],
      nulls: [],
    });
  });

  it('turns missing fields and values of the wrong type into nulls with a reason', () => {
    const result = applyJsonMapping({ id: 'abc', ts: 'yesterday', scores: [1] }, mapping, columns);
    expect(result.values).toEqual([null, null, null, null, 'kafka']);
    expect(result.nulls).toEqual([
      { column: 'Id', reason: "'abc' is not a valid long" },
      { column: 'City', reason: 'field missing at $.address.city' },
      { column: 'At', reason: "DateTimeFromUnixMilliseconds needs a number of milliseconds since 1970-01-01, got 'yesterday'" },
      { column: 'Score', reason: 'field missing at $.scores[1]' },
    ]);
  });

  it('keeps JSON nulls as nulls without a complaint, and names unmapped columns', () => {
    const result = applyJsonMapping({ id: null }, [{ column: 'Id', path: '$.id' }], columns.slice(0, 2));
    expect(result).toEqual({ values: [null, null], nulls: [{ column: 'City', reason: 'no mapping for this column' }] });
  });

  it('converts every Unix unit exactly, including nanoseconds beyond 2^53', () => {
    const at: TKustoColumn[] = [{ name: 'At', type: 'datetime' }];
    const convert = (value: unknown, transform: string) => applyJsonMapping({ v: value }, ZJsonMapping.parse([{ column: 'At', path: '$.v', transform }]), at).values[0];
    expect(convert(1635048879.572, 'DateTimeFromUnixSeconds')).toBe('2021-10-24T04:14:39.5720000Z');
    expect(convert(1635048879572123, 'DateTimeFromUnixMicroseconds')).toBe('2021-10-24T04:14:39.5721230Z');
    expect(convert(1635048879572123456n, 'DateTimeFromUnixNanoseconds')).toBe('2021-10-24T04:14:39.5721234Z');
    expect(convert('1635048879572', 'DateTimeFromUnixMilliseconds')).toBe('2021-10-24T04:14:39.5720000Z');
  });

  it('supports the bag transforms', () => {
    const bagColumns: TKustoColumn[] = [
      { name: 'Props', type: 'dynamic' },
      { name: 'Name', type: 'string' },
      { name: 'Tags', type: 'dynamic' },
    ];
    const bagMapping = ZJsonMapping.parse([
      { column: 'Props', path: '$.props', transform: 'DropMappedFields' },
      { column: 'Name', path: '$.props.name' },
      { column: 'Tags', path: '$.tags', transform: 'PropertyBagArrayToDictionary' },
    ]);
    const record = { props: { name: 'x', revenue: 0.5 }, tags: [{ a: 1 }, { b: 2 }] };
    expect(applyJsonMapping(record, bagMapping, bagColumns).values).toEqual([{ revenue: 0.5 }, 'x', { a: 1, b: 2 }]);
  });

  it('maps by column name when no mapping is given', () => {
    const identity = identityJsonMapping([{ name: "it's", type: 'int' }]);
    expect(applyJsonMapping({ "it's": 3, It: 4 }, identity, [{ name: "it's", type: 'int' }]).values).toEqual([3]);
  });
});

describe('reading JSON records', () => {
  it('reads one document per line for json, keeping big integers exact', () => {
    const records = readJsonRecords('{"a":1}\n\n{"a":12345678901234567890}\r\n', 'json');
    expect(records.map((record) => [record.line, record.value])).toEqual([
      [1, { a: 1 }],
      [3, { a: 12345678901234567890n }],
    ]);
  });

  it('names the line of a broken record', () => {
    expect(() => readJsonRecords('{"a":1}\n{"a":\n{"a":3}', 'json')).toThrow(JsonRecordsError);
    expect(() => readJsonRecords('{"a":1}\n{"a":\n{"a":3}', 'json')).toThrow(/line 2/);
  });

  it('reads multijson spread over lines, concatenated or as an array', () => {
    expect(readJsonRecords('{\n "a": 1\n}{"a":2}\n[{"a":3},{"a":4}]', 'multijson').map((record) => record.value)).toEqual([{ a: 1 }, { a: 2 }, { a: 3 }, { a: 4 }]);
    expect(() => readJsonRecords('{"a":1}\n{"a" 2}', 'multijson')).toThrow(/line 2, column 6/);
  });

  it('round-trips JSON text with bigints and special keys', () => {
    const value = parseJsonLossless('{"__proto__":{"x":1},"n":-9223372036854775808,"s":"\\u00e9\\n"}');
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(stringifyJsonLossless(value)).toBe('{"__proto__":{"x":1},"n":-9223372036854775808,"s":"é\\n"}');
  });
});

describe('the fast paths keep the exact semantics', () => {
  it('reads JSON like the lossless reader: big integers, nesting limit, duplicate keys and its error messages', () => {
    expect(parseJsonLossless('{"id":9007199254740993,"text":"12345678901234567890","small":-123456789012345}')).toEqual({
      id: 9007199254740993n,
      text: '12345678901234567890',
      small: -123456789012345,
    });
    expect(parseJsonLossless('{"a":1,"a":2,"b":[1.5e3,-0,true,null]}')).toEqual({ a: 2, b: [1500, -0, true, null] });
    // 512 levels below the top-level value are allowed, one more is refused.
    expect(() => parseJsonLossless(`${'['.repeat(513)}${']'.repeat(513)}`)).not.toThrow();
    expect(() => parseJsonLossless(`${'['.repeat(514)}${']'.repeat(514)}`)).toThrow('nesting deeper than 512 levels at line 1, column 514');
    expect(() => parseJsonLossless(`{"s":"${'['.repeat(600)}"}`)).not.toThrow();
    expect(() => parseJsonLossless('{"a":01}')).toThrow("expected ',' or '}' in an object at line 1, column 7");
    expect(() => parseJsonLossless('\uFEFF{}')).toThrow("unexpected character '\uFEFF' at line 1, column 1");
    expect(() => parseJsonLossless('{"a":"tab\there"}')).toThrow('control character in string');
  });

  it('reads every valid yyyy-MM-dd HH:mm:ss.fff datetime as Date.UTC does, and refuses invalid ones', () => {
    const pad = (value: number, width: number) => String(value).padStart(width, '0');
    for (let i = 0; i < 2000; i++) {
      const ms = Math.floor(Math.random() * (Date.UTC(9999, 11, 31) - Date.UTC(1, 0, 1))) + Date.UTC(1, 0, 1);
      const date = new Date(ms);
      const text = `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)} ${pad(date.getUTCHours(), 2)}:${pad(date.getUTCMinutes(), 2)}:${pad(date.getUTCSeconds(), 2)}.${pad(date.getUTCMilliseconds(), 3)}`;
      expect(parseKustoDatetime(text), text).toBe(BigInt(ms) * 10_000n);
    }
    expect(parseKustoDatetime('2021-10-24t04:14:39.123456789z')).toBe(parseKustoDatetime('2021-10-24T04:14:39.1234567Z'));
    expect(parseKustoDatetime(' 2024-02-29 23:59:59 ')).toBe(BigInt(Date.UTC(2024, 1, 29, 23, 59, 59)) * 10_000n);
    for (const invalid of ['2021-02-29 00:00:00', '2021-10-24 24:00:00', '2021-10-24 04:60:00', '2021-10-24 04:14:39.1234567890', '0000-01-01 00:00:00', '2021-10-24 04:14:39.', '2021-10-24 04:14:39.5Zx']) {
      expect(parseKustoDatetime(invalid), invalid).toBeNull();
    }
  });
});
