import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kustoFailure, startEngineFixture, type EngineFixture } from './engine-fixture';

const DB = 'gamesdb';
const EVENTS = [
  '{"playerId":33,"gameId":23,"win":55,"score":123,"eventTime":"2021-10-24 04:14:39.572"}',
  '{"playerId":34,"gameId":27,"win":0,"score":99,"eventTime":"2021-10-27 07:56:39.572"}',
  '{"playerId":38,"gameId":27,"win":0,"score":99,"eventTime":"2021-10-27 07:56:39.572"}',
  '{"playerId":45,"gameId":17,"win":10,"score":103,"eventTime":"2021-10-27 07:56:39.572"}',
].join('\n');
const MAPPING = JSON.stringify([
  { column: 'PlayerID', Properties: { Path: '$.playerId' } },
  { column: 'GameID', Properties: { Path: '$.gameId' } },
  { column: 'Win', Properties: { Path: '$.win' } },
  { column: 'Score', Properties: { Path: '$.score' } },
  { column: 'EventTime', Properties: { Path: '$.eventTime' } },
]);
const BATCHING = '{"MaximumBatchingTimeSpan":"00:00:10","MaximumNumberOfItems":5,"MaximumRawDataSizeMB":100}';

let kusto: EngineFixture;

beforeAll(async () => {
  kusto = await startEngineFixture();
  // ADX streams only into tables whose (or whose database's) streaming ingestion policy is on.
  await kusto.rows(DB, `.alter database ${DB} policy streamingingestion enable`);
  await kusto.rows(DB, '.create table GamePlay (PlayerID:int, GameID:int, Win:long, Score:int, EventTime:datetime)');
  await kusto.rows(DB, `.create table GamePlay ingestion json mapping "gameplay_json_mapping" '${MAPPING}'`);
  await kusto.rows(DB, `.alter table GamePlay policy ingestionbatching @'${BATCHING}'`);
  await kusto.ingest(DB, 'GamePlay', EVENTS, { mapping: 'gameplay_json_mapping' });
});

afterAll(async () => {
  await kusto?.close();
});

describe('the reference GamePlay scenario through the official SDKs', () => {
  it('counts the four streamed events', async () => {
    expect(await kusto.rows(DB, 'GamePlay | count')).toEqual([{ Count: 4 }]);
  });

  it('returns typed rows: numbers for int/long, Date for datetime', async () => {
    const rows = await kusto.rows(DB, 'GamePlay | where PlayerID == 33');
    expect(rows).toEqual([{ PlayerID: 33, GameID: 23, Win: 55, Score: 123, EventTime: new Date('2021-10-24T04:14:39.572Z') }]);
    const table = await kusto.table(DB, 'GamePlay | take 1');
    expect(table.columns.map((column) => [column.name, column.type])).toEqual([
      ['PlayerID', 'int'],
      ['GameID', 'int'],
      ['Win', 'long'],
      ['Score', 'int'],
      ['EventTime', 'datetime'],
    ]);
  });

  it('shows the table details with the row count and the batching policy', async () => {
    const [details] = await kusto.rows(DB, '.show table GamePlay details');
    expect(details).toMatchObject({ TableName: 'GamePlay', DatabaseName: DB, TotalRowCount: 4, TotalExtents: 1 });
    expect(JSON.parse(String(details.IngestionBatchingPolicy))).toEqual(JSON.parse(BATCHING));
  });

  it('refuses join with an error naming the operator', async () => {
    const error = await kustoFailure(kusto.client.execute(DB, 'GamePlay | join X on Y'));
    expect(error.response.status).toBe(400);
    expect(error.response.data.error['@message']).toBe("Operator 'join' is not supported by the local Kusto engine");
    expect(error.response.data.error).toMatchObject({ code: 'General_BadRequest', '@permanent': true });
  });

  it('keeps data, mapping and policy across a restart on the same data folder', async () => {
    await kusto.restart();
    expect(await kusto.rows(DB, 'GamePlay | count')).toEqual([{ Count: 4 }]);
    const mappings = await kusto.rows(DB, '.show table GamePlay ingestion json mappings');
    expect(mappings.map((mapping) => [mapping.Name, mapping.Kind])).toEqual([['gameplay_json_mapping', 'Json']]);
    expect(JSON.parse(String(mappings[0].Mapping))).toContainEqual({ Column: 'EventTime', Properties: { Path: '$.eventTime' } });
    const [policy] = await kusto.rows(DB, '.show table GamePlay policy ingestionbatching');
    expect(JSON.parse(String(policy.Policy))).toEqual(JSON.parse(BATCHING));

    await kusto.ingest(DB, 'GamePlay', EVENTS, { mapping: 'gameplay_json_mapping' });
    expect(await kusto.rows(DB, 'GamePlay | count')).toEqual([{ Count: 8 }]);
  });
});
