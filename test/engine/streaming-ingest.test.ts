import { DataFormat } from 'azure-kusto-ingest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kustoFailure, startEngineFixture, type EngineFixture } from './engine-fixture';

const DB = 'ingestdb';
let kusto: EngineFixture;

/** A KQL string literal, escaped the way the product's command generator does it. */
function kqlString(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

const SENSOR_MAPPING = JSON.stringify([
  { column: 'Device', Properties: { Path: '$.device.id' } },
  { column: 'Reading', Properties: { Path: "$.values['temp']" } },
  { column: 'At', Properties: { Path: '$.ts', Transform: 'DateTimeFromUnixMilliseconds' } },
  { column: 'Site', Properties: { Path: '$.device.site' } },
]);

async function count(table: string): Promise<unknown> {
  return (await kusto.rows(DB, `${table} | count`))[0].Count;
}

async function ingestFailure(table: string, data: string, options?: Parameters<EngineFixture['ingest']>[3]) {
  const error = await kustoFailure(kusto.ingest(DB, table, data, options));
  return { status: error.response.status, ...error.response.data.error };
}

beforeAll(async () => {
  kusto = await startEngineFixture();
  // ADX streams only into tables whose (or whose database's) streaming ingestion policy is on.
  await kusto.rows(DB, `.alter database ${DB} policy streamingingestion enable`);
  await kusto.rows(DB, '.create table Sensors (Device:string, Reading:int, At:datetime, Site:string)');
  await kusto.rows(DB, `.create table Sensors ingestion json mapping "sensor_mapping" ${kqlString(SENSOR_MAPPING)}`);
});

afterAll(async () => {
  await kusto?.close();
});

describe('streaming ingestion with a JSON mapping', () => {
  it('walks nested paths, converts epoch milliseconds and nulls what does not fit', async () => {
    const response = await kusto.ingest(
      DB,
      'Sensors',
      ['{"device":{"id":"d1","site":"north"},"values":{"temp":21},"ts":1635048879572}', '{"device":{"id":"d2"},"values":{"temp":"warm"},"ts":1635048880000}'].join('\n'),
      { mapping: 'sensor_mapping' },
    );
    expect(response).toMatchObject({ Tables: [{ TableName: 'Table_0', Rows: [[2, 'Inactive', 'Unknown', null]] }] });
    const rows = await kusto.rows(DB, 'Sensors | order by Device asc');
    expect(rows).toEqual([
      { Device: 'd1', Reading: 21, At: new Date('2021-10-24T04:14:39.572Z'), Site: 'north' },
      // A missing string becomes "" (Kusto strings are never null); "warm" is no int, so null.
      { Device: 'd2', Reading: null, At: new Date('2021-10-24T04:14:40.000Z'), Site: '' },
    ]);
  });

  it('fails the whole request on a record that is not JSON, naming the line, and writes nothing', async () => {
    const before = await count('Sensors');
    const error = await ingestFailure('Sensors', '{"device":{"id":"ok"}}\n{"device": oops}\n', { mapping: 'sensor_mapping' });
    expect(error.status).toBe(400);
    expect(error['@message']).toBe('Ingestion failed, nothing was written: Record on line 2 is not valid JSON: unexpected character \'o\' at column 12');
    expect(await count('Sensors')).toBe(before);
  });

  it('answers a missing table or mapping with a not-found error', async () => {
    expect(await ingestFailure('Nope', '{}', { mapping: 'sensor_mapping' })).toMatchObject({
      status: 400,
      code: 'BadRequest_EntityNotFound',
      '@message': "Table 'Nope' was not found in database 'ingestdb'",
    });
    expect((await ingestFailure('Sensors', '{}', { mapping: 'nope' }))['@message']).toBe("Ingestion mapping 'nope' of kind 'json' was not found on table 'Sensors'");
  });

  it('appends a mapped column that has a Datatype but is missing from the table', async () => {
    await kusto.rows(DB, '.create table Growing (Id:long)');
    await kusto.rows(DB, `.create table Growing ingestion json mapping "m" '[{"column":"Id","Properties":{"Path":"$.id"}},{"column":"Extra","datatype":"dynamic","Properties":{"Path":"$.extra"}}]'`);
    await kusto.ingest(DB, 'Growing', '{"id":1,"extra":{"k":[1,2]}}', { mapping: 'm' });
    expect(await kusto.rows(DB, '.show table Growing cslschema')).toMatchObject([{ Schema: 'Id:long, Extra:dynamic' }]);
    expect(await kusto.rows(DB, 'Growing')).toEqual([{ Id: 1, Extra: { k: [1, 2] } }]);
  });
});

describe('streaming ingestion without a mapping', () => {
  beforeAll(async () => {
    await kusto.rows(DB, '.create table Plain (Id:long, Name:string, Ok:bool, Took:timespan)');
  });

  it('maps JSON fields to columns of the same name, case-sensitively, and keeps 64-bit integers exact', async () => {
    await kusto.ingest(DB, 'Plain', '{"Id":9007199254740993,"Name":"exact","Ok":true,"Took":"00:00:05"}\n{"id":2,"name":"wrong case"}');
    const rows = await kusto.rows(DB, 'Plain | extend IdText = tostring(Id) | order by Name desc');
    expect(rows).toEqual([
      { Id: 9007199254740992, Name: 'exact', Ok: true, Took: 5000, IdText: '9007199254740993' },
      { Id: null, Name: '', Ok: null, Took: null, IdText: '' },
    ]);
  });

  it('reads multijson: objects over several lines, concatenated, or in an array', async () => {
    await kusto.rows(DB, '.create table Multi (Id:long)');
    await kusto.ingest(DB, 'Multi', '{\n  "Id": 1\n}{"Id":2}\n[{"Id":3},{"Id":4}]', { format: DataFormat.MULTIJSON });
    expect(await count('Multi')).toBe(4);
  });

  it('reads CSV by position, with empty strings for missing text', async () => {
    await kusto.rows(DB, '.create table Csv (Id:long, Name:string, At:datetime)');
    await kusto.ingest(DB, 'Csv', '1,"with, comma",2021-10-24T00:00:00Z\r\n2,,\n3,"quoted ""word""",not-a-date\n', { format: DataFormat.CSV });
    expect(await kusto.rows(DB, 'Csv | order by Id asc')).toEqual([
      { Id: 1, Name: 'with, comma', At: new Date('2021-10-24T00:00:00Z') },
      { Id: 2, Name: '', At: null },
      { Id: 3, Name: 'quoted "word"', At: null },
    ]);
  });

  it('refuses formats it does not read', async () => {
    expect((await ingestFailure('Plain', 'a|b', { format: DataFormat.PSV }))['@message']).toBe("Ingestion of format 'psv' is not supported by the local Kusto engine");
  });

  it('refuses requests over the 4 MB streaming limit', async () => {
    const big = `${JSON.stringify({ Name: 'x'.repeat(1000) })}\n`.repeat(4300);
    expect((await ingestFailure('Plain', big)).status).toBe(413);
  });
});

describe('concurrency', () => {
  it('serialises concurrent writes while queries keep answering', async () => {
    await kusto.rows(DB, '.create table Busy (Partition:int, Offset:long)');
    const batches = Array.from({ length: 8 }, (_, partition) =>
      Array.from({ length: 250 }, (_, offset) => JSON.stringify({ Partition: partition, Offset: offset })).join('\n'),
    );
    const writes = batches.map((batch) => kusto.ingest(DB, 'Busy', batch));
    const reads = Array.from({ length: 8 }, () => kusto.rows(DB, 'Busy | count'));
    await Promise.all([...writes, ...reads]);
    for (const read of await Promise.all(reads)) expect(Number(read[0].Count) % 250).toBe(0);
    expect(await kusto.rows(DB, 'Busy | summarize n = count(), offsets = dcount(Offset) by Partition | summarize partitions = count(), rows = sum(n), min(offsets)')).toEqual([
      { partitions: 8, rows: 2000, min_offsets: 250 },
    ]);
    expect((await kusto.rows(DB, '.show table Busy details'))[0]).toMatchObject({ TotalRowCount: 2000, TotalExtents: 8 });
  });
});
