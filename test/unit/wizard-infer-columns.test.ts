import { describe, expect, it } from 'vitest';
import { REFERENCE_EVENTS, toKafkaMessage } from '../../lib/demo/gameplay';
import { detectCsvLayout } from '../../lib/mapping/sample-layout';
import { detectFormat } from '../../lib/mapping/detect-format';
import { inferColumns } from '../../lib/mapping/infer-columns';
import { previewRows } from '../../lib/mapping/preview-rows';

const gameplaySamples = REFERENCE_EVENTS.map((event) => toKafkaMessage(event).value);

describe('column inference', () => {
  it('proposes the reference GamePlay table from the four reference events', () => {
    expect(inferColumns(gameplaySamples, 'json')).toEqual([
      { name: 'PlayerID', type: 'int', path: '$.playerId' },
      { name: 'GameID', type: 'int', path: '$.gameId' },
      { name: 'Win', type: 'long', path: '$.win' },
      { name: 'Score', type: 'int', path: '$.score' },
      { name: 'EventTime', type: 'datetime', path: '$.eventTime' },
    ]);
  });

  it('reads epoch numbers in a time-named field as datetimes in the unit their size implies', () => {
    const samples = [
      JSON.stringify({ tsSeconds: 1_700_000_000, createdAt: 1_700_000_000_123, updatedAt: 1_700_000_000_123_456, eventTime: 1_700_000_000_123_456_789n.toString() }).replace(/"(\d{19})"/, '$1'),
    ];
    const byName = Object.fromEntries(inferColumns(samples, 'json').map((column) => [column.name, column]));
    expect(byName.TsSeconds).toMatchObject({ type: 'datetime', transform: 'DateTimeFromUnixSeconds' });
    expect(byName.CreatedAt).toMatchObject({ type: 'datetime', transform: 'DateTimeFromUnixMilliseconds' });
    expect(byName.UpdatedAt).toMatchObject({ type: 'datetime', transform: 'DateTimeFromUnixMicroseconds' });
    expect(byName.EventTime).toMatchObject({ type: 'datetime', transform: 'DateTimeFromUnixNanoseconds' });
  });

  it('keeps a large number as a long when its name does not say it is a time', () => {
    const [column] = inferColumns(['{"orderRef": 1700000000123}'], 'json');
    expect(column).toEqual({ name: 'OrderRef', type: 'long', path: '$.orderRef' });
  });

  it('flattens nested objects to the chosen depth and keeps deeper ones and arrays as dynamic', () => {
    const samples = ['{"id":"a1","device":{"os":"ios","screen":{"w":1,"h":2}},"tags":["x"]}'];
    expect(inferColumns(samples, 'json', 1)).toEqual([
      { name: 'ID', type: 'string', path: '$.id' },
      { name: 'DeviceOs', type: 'string', path: '$.device.os' },
      { name: 'DeviceScreen', type: 'dynamic', path: '$.device.screen' },
      { name: 'Tags', type: 'dynamic', path: '$.tags' },
    ]);
    expect(inferColumns(samples, 'json', 0).map((column) => `${column.name}:${column.type}`)).toEqual(['ID:string', 'Device:dynamic', 'Tags:dynamic']);
    expect(inferColumns(samples, 'json', 2).map((column) => column.path)).toContain('$.device.screen.w');
  });

  it('types an id as string only where the samples carry it as text', () => {
    const columns = inferColumns(['{"userId": 7, "sessionId": "123"}', '{"userId": 9, "sessionId": 456}'], 'json');
    expect(columns).toEqual([
      { name: 'UserID', type: 'int', path: '$.userId' },
      { name: 'SessionID', type: 'string', path: '$.sessionId' },
    ]);
  });

  it('recognises guids, timespans, reals and bools, and quotes odd field names', () => {
    const columns = inferColumns(['{"run id":"0f8fad5b-d9cb-469f-a165-70867728950e","took":"00:00:01.5","ratio":0.5,"ok":true}', '{"ratio":2}'], 'json');
    expect(columns).toEqual([
      { name: 'RunID', type: 'guid', path: "$['run id']" },
      { name: 'Took', type: 'timespan', path: '$.took' },
      { name: 'Ratio', type: 'real', path: '$.ratio' },
      { name: 'Ok', type: 'bool', path: '$.ok' },
    ]);
  });

  it('infers CSV columns from their text, named by field (field1…n without a header line)', () => {
    expect(inferColumns(['33,"Alice, B",2021-10-24 04:14:39.572,1.5', '34,Bob,2021-10-27 07:56:39.572,2'], 'csv')).toEqual([
      { name: 'Field1', type: 'int', path: '$.field1' },
      { name: 'Field2', type: 'string', path: '$.field2' },
      { name: 'Field3', type: 'datetime', path: '$.field3' },
      { name: 'Field4', type: 'real', path: '$.field4' },
    ]);
  });

  it('names CSV columns after the header line, which is not a row', () => {
    const lines = ['player_id;score;at', '33;1.5;2021-10-24 04:14:39', '34;2;2021-10-27 07:56:39'];
    const layout = detectCsvLayout(lines.slice(1), [lines[0]]);
    expect(layout).toEqual({ delimiter: ';', quote: '"', header: true, fields: ['player_id', 'score', 'at'] });
    expect(inferColumns(lines, 'csv', 1, { csv: layout! })).toEqual([
      { name: 'PlayerID', type: 'int', path: '$.player_id' },
      { name: 'Score', type: 'real', path: '$.score' },
      { name: 'At', type: 'datetime', path: '$.at' },
    ]);
  });
});

describe('format detection', () => {
  it('tells JSON objects, CSV records and anything else apart', () => {
    expect(detectFormat(gameplaySamples)).toBe('json');
    expect(detectFormat(['1,a,x', '2,b,y', null])).toBe('csv');
    expect(detectFormat(['hello', 'world'])).toBe('unknown');
    expect(detectFormat([])).toBe('unknown');
  });
});

describe('mapping preview', () => {
  it('shows rows as the engine would ingest them, with the reason for every null', () => {
    const columns = inferColumns(['{"playerId":33,"at":1635048879572,"device":{"os":"ios"}}'], 'json');
    const rows = previewRows(['{"playerId":33,"at":1635048879572,"device":{"os":"ios"}}', '{"playerId":"x","at":"soon"}', 'not json'], 'json', columns);
    expect(rows[0]).toEqual({ values: [33, '2021-10-24T04:14:39.5720000Z', 'ios'], nulls: [] });
    expect(rows[1].values).toEqual([null, null, null]);
    expect(rows[1].nulls).toEqual([
      { column: 'PlayerID', reason: "'x' is not a valid int" },
      { column: 'At', reason: "DateTimeFromUnixMilliseconds needs a number of milliseconds since 1970-01-01, got 'soon'" },
      { column: 'DeviceOs', reason: 'field missing at $.device.os' },
    ]);
    expect(rows[2].nulls[0].reason).toMatch(/^the message is not valid JSON/);
  });

  it('keeps longs beyond 2^53 exact as text', () => {
    const [row] = previewRows(['{"big": 9007199254740993}'], 'json', [{ name: 'Big', type: 'long', path: '$.big' }]);
    expect(row.values).toEqual(['9007199254740993']);
  });

  it('maps CSV records by field name and shows the Kafka metadata a column asks for', () => {
    const csv = { delimiter: ',' as const, quote: '"' as const, header: false, fields: ['id', 'name'] };
    const metadata = [{ topic: 't', partition: 2, offset: 41, timestamp: '2026-01-02T03:04:05.000Z', key: '{"k":7}', headers: { source: 'app' } }];
    const [row] = previewRows(['33,"Alice, B"'], 'csv', [
      { name: 'ID', type: 'int', path: '$.id' },
      { name: 'Name', type: 'string', path: '$.name' },
      { name: 'KafkaOffset', type: 'long', path: '$.__kafka.offset' },
      { name: 'KafkaTimestamp', type: 'datetime', path: '$.__kafka.timestamp' },
      { name: 'KeyK', type: 'int', path: '$.__kafka.keyJson.k' },
      { name: 'Source', type: 'string', path: "$.__kafka.headers['source']" },
    ], { csv, metadata });
    expect(row).toEqual({ values: [33, 'Alice, B', 41, '2026-01-02T03:04:05.0000000Z', 7, 'app'], nulls: [] });
  });
});
