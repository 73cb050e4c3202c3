import { DataFormat } from 'azure-kusto-ingest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kustoFailure, startEngineFixture, type EngineFixture } from './engine-fixture';

const DB = 'querydb';
const EVENTS = [
  {
    Id: 1,
    Name: 'Alpha-One widget',
    Level: 1,
    Amount: 10.5,
    At: '2021-10-24T04:00:00Z',
    Took: '00:00:01',
    Ok: true,
    Ref: '6f9619ff-8b86-d011-b42d-00cf4fc964ff',
    Props: { a: { b: 1 }, tags: ['x', 'y'] },
  },
  { Id: 2, Name: 'beta two', Level: 2, Amount: 20, At: '2021-10-24T04:30:00Z', Took: '00:01:00', Ok: false, Props: { a: { b: 2 } } },
  { Id: 3, Name: 'Gamma', Level: 2, Amount: -5.25, At: '2021-10-24T05:10:00Z', Took: '01:00:00', Ok: true, Props: { a: { b: 3 } } },
  { Id: 4, Name: '', Level: 3, At: '2021-10-25T00:00:00Z' },
  { Id: 5, Name: 'delta alpha', Level: null, Amount: 0, At: '2021-10-26T12:00:00Z', Took: '1.00:00:00', Ok: false },
];

let kusto: EngineFixture;

async function ids(where: string): Promise<unknown[]> {
  const rows = await kusto.rows(DB, `Events | where ${where} | project Id | order by Id asc`);
  return rows.map((row) => row.Id);
}

async function errorMessage(csl: string): Promise<string> {
  const error = await kustoFailure(kusto.client.execute(DB, csl));
  expect(error.response.status).toBe(400);
  return error.response.data.error['@message'];
}

beforeAll(async () => {
  kusto = await startEngineFixture();
  // ADX streams only into tables whose (or whose database's) streaming ingestion policy is on.
  await kusto.rows(DB, `.alter database ${DB} policy streamingingestion enable`);
  await kusto.rows(DB, '.create table Events (Id:long, Name:string, Level:int, Amount:real, At:datetime, Took:timespan, Ok:bool, Ref:guid, Props:dynamic)');
  // No mapping: columns are taken from the fields of the same name; multijson lets one request hold an array.
  await kusto.ingest(DB, 'Events', JSON.stringify(EVENTS, null, 2), { format: DataFormat.MULTIJSON });
});

afterAll(async () => {
  await kusto?.close();
});

describe('where', () => {
  it('compares numbers, strings, datetimes and timespans', async () => {
    expect(await ids('Level >= 2')).toEqual([2, 3, 4]);
    expect(await ids('Amount < 0 or Amount > 15')).toEqual([2, 3]);
    expect(await ids('Name == "Gamma"')).toEqual([3]);
    expect(await ids('Name != "Gamma"')).toEqual([1, 2, 4, 5]);
    expect(await ids('Name =~ "GAMMA"')).toEqual([3]);
    expect(await ids('At == datetime(2021-10-24 04:30:00)')).toEqual([2]);
    expect(await ids('At > datetime(2021-10-25)')).toEqual([5]);
    expect(await ids('Took > 30s and Took <= 1h')).toEqual([2, 3]);
    expect(await ids('Took >= time(1.00:00:00)')).toEqual([5]);
    expect(await ids('Took between (1s .. time(00:01:00))')).toEqual([1, 2]);
    expect(await ids('Took < 1000ms + 2s')).toEqual([1]);
    expect(await ids('Ok and Level >= 2')).toEqual([3]);
    expect(await ids('not(Ok)')).toEqual([2, 5]);
  });

  it('implements the string operators', async () => {
    expect(await ids('Name has "alpha"')).toEqual([1, 5]);
    expect(await ids('Name has "alp"')).toEqual([]);
    expect(await ids('Name has_cs "alpha"')).toEqual([5]);
    expect(await ids('Name !has "alpha"')).toEqual([2, 3, 4]);
    expect(await ids('Name contains "ALP"')).toEqual([1, 5]);
    expect(await ids('Name !contains "a"')).toEqual([4]);
    expect(await ids('Name contains_cs "alp"')).toEqual([5]);
    expect(await ids('Name startswith "al"')).toEqual([1]);
    expect(await ids('Name endswith "TWO"')).toEqual([2]);
    expect(await ids('Name hasprefix "wid"')).toEqual([1]);
    expect(await ids('Name matches regex "^[a-z]+ [a-z]+$"')).toEqual([2, 5]);
  });

  it('implements in, between and the null and empty tests', async () => {
    expect(await ids('Level in (2, 3)')).toEqual([2, 3, 4]);
    expect(await ids('Id !in (1, 2)')).toEqual([3, 4, 5]);
    expect(await ids('Name in~ ("GAMMA", "Beta Two")')).toEqual([2, 3]);
    expect(await ids('Amount between (0 .. 10.5)')).toEqual([1, 5]);
    expect(await ids('Amount !between (0 .. 10.5)')).toEqual([2, 3]);
    expect(await ids('At between (datetime(2021-10-24) .. 1d)')).toEqual([1, 2, 3, 4]);
    expect(await ids('isnull(Amount)')).toEqual([4]);
    expect(await ids('isnotnull(Level)')).toEqual([1, 2, 3, 4]);
    expect(await ids('isempty(Name)')).toEqual([4]);
    expect(await ids('isnotempty(Name) and isnotnull(Took)')).toEqual([1, 2, 3, 5]);
  });

  it('reads into dynamic values', async () => {
    expect(await ids('Props.a.b == 2')).toEqual([2]);
    expect(await ids('Props["tags"][0] == "x"')).toEqual([1]);
    expect(await ids('tostring(Props.a.b) == "3"')).toEqual([3]);
  });

  it('evaluates ago() and now() against the current time', async () => {
    expect(await ids('At > ago(1d)')).toEqual([]);
    expect(await ids('At < now() and At > now(-36500d)')).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('summarize', () => {
  it('groups by bin() with Kusto column names', async () => {
    const rows = await kusto.rows(DB, 'Events | summarize count() by bin(At, 1h) | order by At asc');
    expect(rows).toEqual([
      { At: new Date('2021-10-24T04:00:00Z'), count_: 2 },
      { At: new Date('2021-10-24T05:00:00Z'), count_: 1 },
      { At: new Date('2021-10-25T00:00:00Z'), count_: 1 },
      { At: new Date('2021-10-26T12:00:00Z'), count_: 1 },
    ]);
  });

  it('names and types aggregates like Kusto', async () => {
    const table = await kusto.table(DB, 'Events | summarize n = count(), sum(Amount), avg(Level), min(At), max(Took), dcount(Level), countif(Ok), sum(Level)');
    expect(table.columns.map((column) => `${column.name}:${column.type}`)).toEqual([
      'n:long',
      'sum_Amount:real',
      'avg_Level:real',
      'min_At:datetime',
      'max_Took:timespan',
      'dcount_Level:long',
      'countif_Ok:long',
      'sum_Level:long',
    ]);
    expect([...table.rows()][0].toJSON()).toEqual({
      n: 5,
      sum_Amount: 25.25,
      avg_Level: 2,
      min_At: new Date('2021-10-24T04:00:00Z'),
      max_Took: 86_400_000,
      dcount_Level: 3,
      countif_Ok: 2,
      sum_Level: 8,
    });
  });

  it('bins numbers and groups by several keys', async () => {
    const rows = await kusto.rows(DB, 'Events | summarize Total = sum(Amount) by Level, bucket = bin(Amount, 10) | where isnotnull(Level) | order by Level asc, bucket asc');
    expect(rows).toEqual([
      { Level: 1, bucket: 10, Total: 10.5 },
      { Level: 2, bucket: -10, Total: -5.25 },
      { Level: 2, bucket: 20, Total: 20 },
      { Level: 3, bucket: null, Total: null },
    ]);
    expect(await kusto.rows(DB, 'Events | summarize by Level | count')).toEqual([{ Count: 4 }]);
  });
});

describe('shaping operators', () => {
  it('counts, takes and limits', async () => {
    expect(await kusto.rows(DB, 'Events | count')).toEqual([{ Count: 5 }]);
    expect(await kusto.rows(DB, 'Events | take 2 | count')).toEqual([{ Count: 2 }]);
    expect(await kusto.rows(DB, 'Events | limit 3 | count')).toEqual([{ Count: 3 }]);
  });

  it('sorts descending by default with Kusto null placement', async () => {
    const order = async (csl: string) => (await kusto.rows(DB, `Events | ${csl} | project Id`)).map((row) => row.Id);
    expect(await order('order by Level asc, Id asc')).toEqual([5, 1, 2, 3, 4]);
    expect(await order('sort by Level, Id')).toEqual([4, 3, 2, 1, 5]);
    expect(await order('top 2 by Amount')).toEqual([2, 1]);
    expect(await order('top 1 by Amount asc')).toEqual([4]);
    expect(await order('top 1 by Amount asc nulls last')).toEqual([3]);
    expect(await order('order by Id asc | take 2')).toEqual([1, 2]);
    expect(await order('order by Id asc | where Level > 1 | extend x = 1')).toEqual([2, 3, 4]);
  });

  it('projects, extends and renames with Kusto names and types', async () => {
    const table = await kusto.table(
      DB,
      'Events | where Id == 3 | extend doubled = Level * 2, half = Amount / 2, later = At + 1h, since = At - datetime(2021-10-24), ratio = Took / 1m, q = -7 / 2, m = Id % 2 | project-away Props, Ref | project-rename Ident = Id',
    );
    expect(table.columns.map((column) => `${column.name}:${column.type}`)).toEqual([
      'Ident:long',
      'Name:string',
      'Level:int',
      'Amount:real',
      'At:datetime',
      'Took:timespan',
      'Ok:bool',
      'doubled:long',
      'half:real',
      'later:datetime',
      'since:timespan',
      'ratio:real',
      'q:long',
      'm:long',
    ]);
    expect([...table.rows()][0].toJSON()).toMatchObject({
      Ident: 3,
      doubled: 4,
      half: -2.625,
      later: new Date('2021-10-24T06:10:00Z'),
      since: (5 * 60 + 10) * 60_000,
      ratio: 60,
      q: -3,
      m: 1,
    });
  });

  it('names unnamed expressions like Kusto and converts values', async () => {
    const rows = await kusto.rows(
      DB,
      'Events | where Id == 1 | project Id + 1, tostring(Level), s = strcat(Name, "#", Id), l = strlen(Name), u = toupper(Name), y = iff(Ok, "yes", "no"), t = toint("12"), f = tolong(Amount), when = tostring(At), b = Ok, g = Ref, d = Props',
    );
    expect(rows).toEqual([
      {
        Column1: 2,
        Level: '1',
        s: 'Alpha-One widget#1',
        l: 16,
        u: 'ALPHA-ONE WIDGET',
        y: 'yes',
        t: 12,
        f: 10,
        when: '2021-10-24T04:00:00.0000000Z',
        b: true,
        g: '6f9619ff-8b86-d011-b42d-00cf4fc964ff',
        d: { a: { b: 1 }, tags: ['x', 'y'] },
      },
    ]);
  });

  it('returns distinct values', async () => {
    const rows = await kusto.rows(DB, 'Events | distinct Level | order by Level asc');
    expect(rows.map((row) => row.Level)).toEqual([null, 1, 2, 3]);
  });

  it('answers v1 queries and queries sent to the management endpoint', async () => {
    const v1 = await kusto.client.executeQueryV1(DB, 'Events | where Id == 2 | project Id, At');
    expect([...v1.primaryResults[0].rows()].map((row) => row.toJSON())).toEqual([{ Id: 2, At: new Date('2021-10-24T04:30:00Z') }]);
    const mgmt = await kusto.client.executeMgmt(DB, 'Events | count');
    expect([...mgmt.primaryResults[0].rows()].map((row) => row.toJSON())).toEqual([{ Count: 5 }]);
  });
});

describe('refusals and errors', () => {
  it('refuses what it does not implement, naming the construct', async () => {
    expect(await errorMessage('let x = 1; Events')).toBe("Statement 'let' is not supported by the local Kusto engine");
    expect(await errorMessage('union Events, Events')).toBe("Operator 'union' is not supported by the local Kusto engine");
    expect(await errorMessage('Events | mv-expand Props')).toBe("Operator 'mv-expand' is not supported by the local Kusto engine");
    expect(await errorMessage('Events | parse Name with a " " b')).toBe("Operator 'parse' is not supported by the local Kusto engine");
    expect(await errorMessage('Events | render timechart')).toBe("Operator 'render' is not supported by the local Kusto engine");
    expect(await errorMessage('Events | extend h = hash_sha256(Name)')).toBe("Function 'hash_sha256' is not supported by the local Kusto engine");
    expect(await errorMessage('Events | summarize percentile(Amount, 50)')).toBe("Function 'percentile' is not supported by the local Kusto engine");
  });

  it('reports syntax and semantic errors like Kusto', async () => {
    expect(await errorMessage('Events | where')).toMatch(/^Syntax error: KS\d+: .*\[line:position=1:14\]$/);
    expect(await errorMessage('Nope | count')).toBe("Semantic error: SEM0100: 'table' operator: Failed to resolve table expression named 'Nope'");
    expect(await errorMessage('Events | where Missing == 1')).toBe("Semantic error: SEM0100: Failed to resolve scalar expression named 'Missing'");
  });
});
