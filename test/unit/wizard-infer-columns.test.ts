import { describe, expect, it } from 'vitest';
import { REFERENCE_EVENTS, toKafkaMessage } from '../../lib/demo/gameplay';
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

  it('infers CSV columns by ordinal from their text', () => {
    expect(inferColumns(['33,"Alice, B",2021-10-24 04:14:39.572,1.5', '34,Bob,2021-10-27 07:56:39.572,2'], 'csv')).toEqual([
      { name: 'Column1', type: 'int', path: '$[0]' },
      { name: 'Column2', type: 'string', path: '$[1]' },
      { name: 'Column3', type: 'datetime', path: '$[2]' },
      { name: 'Column4', type: 'real', path: '$[3]' },
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

  it('maps CSV records by ordinal', () => {
    const [row] = previewRows(['33,"Alice, B"'], 'csv', [
      { name: 'Column1', type: 'int', path: '$[0]' },
      { name: 'Column2', type: 'string', path: '$[1]' },
    ]);
    expect(row).toEqual({ values: [33, 'Alice, B'], nulls: [] });
  });
});
