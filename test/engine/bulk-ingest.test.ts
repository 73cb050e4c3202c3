import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kustoFailure, startEngineFixture, type EngineFixture } from './engine-fixture';

/**
 * Large streaming requests are parsed and mapped in ingest worker threads and appended a
 * DataChunk at a time; small ones on the event loop. Both must land exactly what Kusto's mapping
 * rules say, and fail exactly as before.
 */

const DB = 'bulkdb';
/** Well past the size from which a request goes to a worker thread. */
const LARGE_COPIES = 400;
let kusto: EngineFixture;

function kqlString(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

const COLUMNS = 'Id:long, Small:int, Ratio:real, Flag:bool, Name:string, At:datetime, Epoch:datetime, Took:timespan, Uid:guid, Bag:dynamic, Nested:string, Missing:string';
const MAPPING = JSON.stringify([
  { column: 'Id', Properties: { Path: '$.id' } },
  { column: 'Small', Properties: { Path: '$.small' } },
  { column: 'Ratio', Properties: { Path: '$.ratio' } },
  { column: 'Flag', Properties: { Path: '$.flag' } },
  { column: 'Name', Properties: { Path: '$.name' } },
  { column: 'At', Properties: { Path: '$.at' } },
  { column: 'Epoch', Properties: { Path: '$.epoch', Transform: 'DateTimeFromUnixMilliseconds' } },
  { column: 'Took', Properties: { Path: '$.took' } },
  { column: 'Uid', Properties: { Path: '$.uid' } },
  { column: 'Bag', Properties: { Path: '$.bag' } },
  { column: 'Nested', Properties: { Path: '$.a.b[1]' } },
  { column: 'Missing', Properties: { Path: '$.nope' } },
]);

/** One record per edge case; the expected row after Kusto's conversions is checked below. */
const EDGE_RECORDS = [
  '{"id":9007199254740993,"small":2147483647,"ratio":1.5,"flag":true,"name":"plain","at":"2021-10-24 04:14:39.572","epoch":1635048879572,"took":"00:00:05","uid":"{6F9619FF-8B86-D011-B42D-00CF4FC964FF}","bag":{"k":[1,2],"big":12345678901234567890},"a":{"b":["x","y"]}}',
  '{"id":"42","small":2147483648,"ratio":"1e3","flag":"TRUE","name":12,"at":"Sun, 24 Oct 2021 04:14:39 GMT","epoch":"1635048879572","took":"1d","uid":"not-a-guid","bag":[1,"two",null],"a":{"b":[1,{"c":2}]}}',
  '{"id":1.5,"small":1.5,"ratio":null,"flag":1,"name":null,"at":"2021-10-24T06:14:39+02:00","epoch":-1000,"took":"25:00:00","uid":null,"bag":"text","a":null}',
  '{"id":-9223372036854775808,"small":"-7","ratio":"inf","flag":"yes","name":"nul\\u0000 and \\u00e9 \\ud83d\\ude00","at":"2021-02-30 00:00:00","epoch":1.5,"took":"-01:30:00","bag":{"__proto__":{"x":1},"dup":1,"dup":2}}',
  '{"id":9223372036854775808,"small":-0,"flag":false,"name":"","at":"2021-10-24t04:14:39.123456789z","epoch":253402300800000,"a":{"b":"not an array"}}',
  '{}',
];

/** What the engine landed for EDGE_RECORDS before ingestion moved to worker threads and DataChunks. */
const EXPECTED_ROWS = [
  {
    Small: 2147483647,
    Ratio: 1.5,
    Flag: true,
    Name: 'plain',
    At: '2021-10-24T04:14:39.572Z',
    Epoch: '2021-10-24T04:14:39.572Z',
    Took: 5000,
    Uid: '6f9619ff-8b86-d011-b42d-00cf4fc964ff',
    Bag: { k: [1, 2], big: 12345678901234567000 },
    Nested: 'y',
    Missing: '',
    IdText: '9007199254740993',
    BagText: '{"k":[1,2],"big":12345678901234567890}',
    AtText: '2021-10-24T04:14:39.5720000Z',
    EpochText: '2021-10-24T04:14:39.5720000Z',
  },
  {
    Small: null,
    Ratio: 1000,
    Flag: true,
    Name: '12',
    At: '2021-10-24T04:14:39.000Z',
    Epoch: '2021-10-24T04:14:39.572Z',
    Took: 86400000,
    Uid: null,
    Bag: [1, 'two', null],
    Nested: '{"c":2}',
    Missing: '',
    IdText: '42',
    BagText: '[1,"two",null]',
    AtText: '2021-10-24T04:14:39.0000000Z',
    EpochText: '2021-10-24T04:14:39.5720000Z',
  },
  {
    Small: null,
    Ratio: null,
    Flag: true,
    Name: '',
    At: '2021-10-24T04:14:39.000Z',
    Epoch: '1969-12-31T23:59:59.000Z',
    Took: null,
    Uid: null,
    Bag: 'text',
    Nested: '',
    Missing: '',
    IdText: '',
    BagText: 'text',
    AtText: '2021-10-24T04:14:39.0000000Z',
    EpochText: '1969-12-31T23:59:59.0000000Z',
  },
  {
    Small: -7,
    Ratio: 'Infinity',
    Flag: null,
    Name: 'nul\u0000 and \u00e9 \ud83d\ude00',
    At: null,
    Epoch: '1970-01-01T00:00:00.001Z',
    Took: -5400000,
    Uid: null,
    Bag: JSON.parse('{"__proto__":{"x":1},"dup":2}'),
    Nested: '',
    Missing: '',
    IdText: '-9223372036854775808',
    BagText: '{"__proto__":{"x":1},"dup":2}',
    AtText: '',
    EpochText: '1970-01-01T00:00:00.0015000Z',
  },
  {
    Small: 0,
    Ratio: null,
    Flag: false,
    Name: '',
    At: '2021-10-24T04:14:39.123Z',
    Epoch: null,
    Took: null,
    Uid: null,
    Bag: null,
    Nested: '',
    Missing: '',
    IdText: '',
    BagText: '',
    AtText: '2021-10-24T04:14:39.1234560Z',
    EpochText: '',
  },
  { Small: null, Ratio: null, Flag: null, Name: '', At: null, Epoch: null, Took: null, Uid: null, Bag: null, Nested: '', Missing: '', IdText: '', BagText: '', AtText: '', EpochText: '' },
];

/**
 * Ids, bags and times also as text: the SDK reads a long or a big number in a bag as a JavaScript
 * number and a datetime as a Date, which would hide a lost digit or microsecond.
 */
const PROJECTION = 'extend IdText = tostring(Id), BagText = tostring(Bag), AtText = tostring(At), EpochText = tostring(Epoch) | project-away Id';

function withSeq(record: string, seq: number): string {
  return record === '{}' ? `{"seq":${seq}}` : `{"seq":${seq},${record.slice(1)}`;
}

async function createTable(name: string): Promise<void> {
  await kusto.rows(DB, `.create table ${name} (Seq:long, ${COLUMNS})`);
  const mapping = JSON.stringify([{ column: 'Seq', Properties: { Path: '$.seq' } }, ...JSON.parse(MAPPING)]);
  await kusto.rows(DB, `.create table ${name} ingestion json mapping "m" ${kqlString(mapping)}`);
}

/** Dates as ISO text (millisecond precision is what the SDK gives), the sequence number dropped. */
function normalise(row: Record<string, unknown>): Record<string, unknown> {
  const { Seq: _seq, ...rest } = row;
  return Object.fromEntries(Object.entries(rest).map(([name, value]) => [name, value instanceof Date ? value.toISOString() : value]));
}

beforeAll(async () => {
  kusto = await startEngineFixture();
  await kusto.rows(DB, `.alter database ${DB} policy streamingingestion enable`);
});

afterAll(async () => {
  await kusto?.close();
});

describe('bulk streaming ingestion', () => {
  it('lands every edge case the same from one large request (worker thread) as from small ones', async () => {
    await createTable('Large');
    await createTable('Small');
    const records = Array.from({ length: LARGE_COPIES }, (_, copy) => EDGE_RECORDS.map((record, index) => withSeq(record, copy * EDGE_RECORDS.length + index))).flat();
    const large = records.join('\n');
    expect(Buffer.byteLength(large)).toBeGreaterThan(128 * 1024);
    await kusto.ingest(DB, 'Large', large, { mapping: 'm' });
    for (const [index, record] of EDGE_RECORDS.entries()) await kusto.ingest(DB, 'Small', withSeq(record, index), { mapping: 'm' });

    const small = (await kusto.rows(DB, `Small | ${PROJECTION} | order by Seq asc`)).map(normalise);
    expect(small).toEqual(EXPECTED_ROWS);
    const largeRows = await kusto.rows(DB, `Large | where Seq < ${EDGE_RECORDS.length * 3} | ${PROJECTION} | order by Seq asc`);
    expect(largeRows.map(normalise)).toEqual([...EXPECTED_ROWS, ...EXPECTED_ROWS, ...EXPECTED_ROWS]);
    expect(await kusto.rows(DB, 'Large | count')).toEqual([{ Count: records.length }]);
    expect((await kusto.rows(DB, '.show table Large details'))[0]).toMatchObject({ TotalRowCount: records.length, TotalExtents: 1 });
  });

  it('fails a large request on one malformed, too deep or non-UTF-8 record, naming it, and writes nothing', async () => {
    await createTable('Refused');
    const good = Array.from({ length: 3000 }, (_, seq) => withSeq(EDGE_RECORDS[0], seq));
    const malformed = [...good.slice(0, 2000), '{"seq": oops}', ...good.slice(2000)].join('\n');
    const error = await kustoFailure(kusto.ingest(DB, 'Refused', malformed, { mapping: 'm' }));
    expect(error.response.status).toBe(400);
    expect(error.response.data.error['@message']).toBe("Ingestion failed, nothing was written: Record on line 2001 is not valid JSON: unexpected character 'o' at column 9");

    const deep = `{"seq":1,"bag":${'['.repeat(600)}${']'.repeat(600)}}`;
    const tooDeep = await kustoFailure(kusto.ingest(DB, 'Refused', [...good, deep].join('\n'), { mapping: 'm' }));
    expect(tooDeep.response.data.error['@message']).toMatch(/^Ingestion failed, nothing was written: Record on line 3001 is not valid JSON: nesting deeper than 512 levels/);

    const notUtf8 = Buffer.concat([Buffer.from(good.join('\n')), Buffer.from([0x0a, 0x7b, 0xff, 0x7d])]);
    const { Readable } = await import('node:stream');
    const { IngestionProperties, DataFormat, IngestionMappingKind } = await import('azure-kusto-ingest');
    const refused = await kustoFailure(
      kusto.ingestClient.ingestFromStream(
        Readable.from([notUtf8]),
        new IngestionProperties({ database: DB, table: 'Refused', format: DataFormat.JSON, ingestionMappingReference: 'm', ingestionMappingKind: IngestionMappingKind.JSON }),
      ),
    );
    expect(refused.response.data.error['@message']).toBe('The ingested data is not valid UTF-8');
    expect(await kusto.rows(DB, 'Refused | count')).toEqual([{ Count: 0 }]);

    // 511 levels below the record's own object is still fine.
    await kusto.ingest(DB, 'Refused', [...good, `{"seq":1,"bag":${'['.repeat(511)}${']'.repeat(511)}}`].join('\n'), { mapping: 'm' });
    expect(await kusto.rows(DB, 'Refused | count')).toEqual([{ Count: 3001 }]);
  });

  it('follows catalog changes between requests: a new mapping, a disabled policy, a dropped table', async () => {
    await kusto.rows(DB, '.create table Changing (A:long, B:string)');
    await kusto.rows(DB, `.create table Changing ingestion json mapping "m" '[{"column":"A","Properties":{"Path":"$.a"}},{"column":"B","Properties":{"Path":"$.b"}}]'`);
    const batch = (a: number) => Array.from({ length: 3000 }, () => JSON.stringify({ a, b: `b${a}`, c: `c${a}` })).join('\n');
    await kusto.ingest(DB, 'Changing', batch(1), { mapping: 'm' });
    await kusto.rows(DB, `.create-or-alter table Changing ingestion json mapping "m" '[{"column":"A","Properties":{"Path":"$.a"}},{"column":"B","Properties":{"Path":"$.c"}}]'`);
    await kusto.ingest(DB, 'Changing', batch(2), { mapping: 'm' });
    expect(await kusto.rows(DB, 'Changing | summarize n = count() by A, B | order by A asc')).toEqual([
      { A: 1, B: 'b1', n: 3000 },
      { A: 2, B: 'c2', n: 3000 },
    ]);

    await kusto.rows(DB, '.alter table Changing policy streamingingestion disable');
    const disabled = await kustoFailure(kusto.ingest(DB, 'Changing', batch(3), { mapping: 'm' }));
    expect(disabled.response.data.error.code).toBe('BadRequest_StreamingIngestionPolicyNotEnabled');
    await kusto.rows(DB, '.alter table Changing policy streamingingestion enable');
    await kusto.ingest(DB, 'Changing', batch(4), { mapping: 'm' });

    await kusto.rows(DB, '.drop table Changing');
    const dropped = await kustoFailure(kusto.ingest(DB, 'Changing', batch(5), { mapping: 'm' }));
    expect(dropped.response.data.error['@message']).toBe("Table 'Changing' was not found in database 'bulkdb'");
  });
});
