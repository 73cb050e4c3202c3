import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kustoFailure, startEngineFixture, type EngineFixture } from './engine-fixture';

const DB = 'mgmtdb';
let kusto: EngineFixture;

async function failure(csl: string) {
  const error = await kustoFailure(kusto.client.execute(DB, csl));
  return { status: error.response.status, ...error.response.data.error };
}

beforeAll(async () => {
  kusto = await startEngineFixture();
});

afterAll(async () => {
  await kusto?.close();
});

describe('tables', () => {
  it('creates a table once and leaves it unchanged when created again', async () => {
    const [created] = await kusto.rows(DB, '.create table Orders (Id:long, Customer:string)');
    expect(created).toMatchObject({ TableName: 'Orders', DatabaseName: DB, Folder: '', DocString: '' });
    expect(JSON.parse(String(created.Schema))).toEqual({
      Name: 'Orders',
      OrderedColumns: [
        { Name: 'Id', Type: 'System.Int64', CslType: 'long' },
        { Name: 'Customer', Type: 'System.String', CslType: 'string' },
      ],
    });
    await kusto.rows(DB, '.create table Orders (Other:int)');
    expect(await kusto.rows(DB, '.show table Orders cslschema')).toMatchObject([{ Schema: 'Id:long, Customer:string' }]);
  });

  it('merges new columns and refuses to change a column type', async () => {
    await kusto.rows(DB, '.create-merge table Orders (Id:long, Total:real, PlacedAt:datetime) with (folder = "sales", docstring = "orders")');
    expect(await kusto.rows(DB, '.show table Orders cslschema')).toEqual([
      { TableName: 'Orders', Schema: 'Id:long, Customer:string, Total:real, PlacedAt:datetime', DatabaseName: DB, Folder: 'sales', DocString: 'orders' },
    ]);
    const error = await failure('.create-merge table Orders (Total:string)');
    expect(error.status).toBe(400);
    expect(error['@message']).toContain("column 'Total' of table 'Orders' is of type 'real' and cannot be changed to 'string'");
  });

  it('accepts bracket-quoted names with any characters', async () => {
    await kusto.rows(DB, `.create table ['My Table'] (['col one']:string, ["x-y"]:int)`);
    expect(await kusto.rows(DB, `.show table ["My Table"]`)).toEqual([
      { AttributeName: 'col one', AttributeType: 'System.String' },
      { AttributeName: 'x-y', AttributeType: 'System.Int32' },
    ]);
    expect(await kusto.rows(DB, `['My Table'] | project ['col one'], ['x-y'] | count`)).toEqual([{ Count: 0 }]);
  });

  it('lists, creates in other databases, and drops tables', async () => {
    await kusto.rows(DB, '.create table otherdb.Elsewhere (a:int)');
    expect((await kusto.rows('otherdb', '.show tables')).map((row) => row.TableName)).toEqual(['Elsewhere']);
    await kusto.rows(DB, '.create table Temp (a:int)');
    expect((await kusto.rows(DB, '.show tables')).map((row) => row.TableName)).toEqual(['My Table', 'Orders', 'Temp']);
    await kusto.rows(DB, '.drop table Temp');
    await kusto.rows(DB, '.drop table Temp ifexists');
    expect((await failure('.drop table Temp'))['@message']).toBe("Table 'Temp' was not found in database 'mgmtdb'");
    expect((await failure('Temp | count'))['@message']).toContain("Failed to resolve table expression named 'Temp'");
  });

  it('reports a missing table as an entity that was not found', async () => {
    const error = await failure('.show table Nope details');
    expect(error).toMatchObject({ status: 400, code: 'BadRequest_EntityNotFound', '@message': "Table 'Nope' was not found in database 'mgmtdb'" });
  });
});

describe('ingestion mappings', () => {
  const mapping = (path: string) => `[{"column":"Id","Properties":{"Path":"$.id"}},{"column":"Customer","Properties":{"Path":"${path}"}}]`;

  it('creates a mapping once, then alters it with create-or-alter', async () => {
    const [created] = await kusto.rows(DB, `.create table Orders ingestion json mapping "orders_v1" '${mapping('$.customer')}'`);
    expect(created).toMatchObject({ Name: 'orders_v1', Kind: 'Json', Database: DB, Table: 'Orders' });

    const duplicate = await failure(`.create table Orders ingestion json mapping "orders_v1" '${mapping('$.customer')}'`);
    expect(duplicate).toMatchObject({ code: 'BadRequest_EntityAlreadyExists', '@message': "Ingestion mapping 'orders_v1' of kind 'json' already exists on table 'Orders'" });

    await kusto.rows(DB, `.create-or-alter table Orders ingestion json mapping "orders_v1" '${mapping('$.buyer.name')}'`);
    const shown = await kusto.rows(DB, '.show table Orders ingestion mappings');
    expect(shown).toHaveLength(1);
    expect(JSON.parse(String(shown[0].Mapping))).toEqual([
      { Column: 'Id', Properties: { Path: '$.id' } },
      { Column: 'Customer', Properties: { Path: '$.buyer.name' } },
    ]);
  });

  it('refuses mappings that do not fit the table', async () => {
    expect((await failure(`.create table Orders ingestion json mapping "bad" '[{"column":"Nope","Properties":{"Path":"$.x"}}]'`))['@message']).toBe(
      "Ingestion mapping column 'Nope' does not exist in table 'Orders' and has no Datatype",
    );
    expect((await failure(`.create table Orders ingestion json mapping "bad" '[{"column":"Id","Properties":{"Path":"$[x]"}}]'`))['@message']).toContain(
      "Invalid JSONPath '$[x]'",
    );
    expect((await failure(`.create table Orders ingestion json mapping "bad" 'not json'`))['@message']).toContain('not valid JSON');
    expect((await failure(`.create table Orders ingestion csv mapping "c" '[]'`))['@message']).toBe(
      "Ingestion mappings of kind 'csv' is not supported by the local Kusto engine",
    );
  });

  it('drops a mapping', async () => {
    await kusto.rows(DB, `.create table Orders ingestion json mapping "to_drop" '${mapping('$.c')}'`);
    await kusto.rows(DB, '.drop table Orders ingestion json mapping "to_drop"');
    expect((await kusto.rows(DB, '.show table Orders ingestion json mappings')).map((row) => row.Name)).toEqual(['orders_v1']);
  });
});

describe('policies', () => {
  const batching = async () => JSON.parse(String((await kusto.rows(DB, '.show table Orders policy ingestionbatching'))[0].Policy));

  it('resets omitted batching properties to the defaults, in every string literal form', async () => {
    const [altered] = await kusto.rows(DB, `.alter table Orders policy ingestionbatching '{"MaximumBatchingTimeSpan":"00:00:30"}'`);
    expect(altered).toMatchObject({ PolicyName: 'IngestionBatchingPolicy', EntityName: '[mgmtdb].[Orders]', EntityType: 'Table' });
    expect(await batching()).toEqual({ MaximumBatchingTimeSpan: '00:00:30', MaximumNumberOfItems: 500, MaximumRawDataSizeMB: 1024 });

    await kusto.rows(DB, `.alter table Orders policy ingestionbatching @"{""MaximumNumberOfItems"": 5}"`);
    expect(await batching()).toEqual({ MaximumBatchingTimeSpan: '00:05:00', MaximumNumberOfItems: 5, MaximumRawDataSizeMB: 1024 });

    await kusto.rows(DB, `.alter table Orders policy ingestionbatching "{\\"MaximumRawDataSizeMB\\": 100}"`);
    expect(await batching()).toEqual({ MaximumBatchingTimeSpan: '00:05:00', MaximumNumberOfItems: 500, MaximumRawDataSizeMB: 100 });

    await kusto.rows(DB, `.alter-merge table Orders policy ingestionbatching '{"MaximumNumberOfItems": 7}'`);
    expect(await batching()).toEqual({ MaximumBatchingTimeSpan: '00:05:00', MaximumNumberOfItems: 7, MaximumRawDataSizeMB: 100 });
  });

  it('refuses malformed batching policies', async () => {
    expect((await failure(`.alter table Orders policy ingestionbatching '{"MaximumNumberOfItem": 5}'`))['@message']).toContain('Invalid ingestion batching policy');
    expect((await failure(`.alter table Orders policy ingestionbatching '{"MaximumBatchingTimeSpan": "soon"}'`))['@message']).toContain("'soon' is not a positive timespan");
  });

  it('enables and disables streaming ingestion', async () => {
    const streaming = async () => JSON.parse(String((await kusto.rows(DB, '.show table Orders policy streamingingestion'))[0].Policy));
    await kusto.rows(DB, '.alter table Orders policy streamingingestion enable');
    expect(await streaming()).toEqual({ IsEnabled: true, HintAllocatedRate: null });
    await kusto.rows(DB, `.alter table Orders policy streamingingestion '{"IsEnabled": false}'`);
    expect(await streaming()).toEqual({ IsEnabled: false, HintAllocatedRate: null });
    const [details] = await kusto.rows(DB, '.show table Orders details');
    expect(JSON.parse(String(details.StreamingIngestionPolicy))).toEqual({ IsEnabled: false, HintAllocatedRate: null });
  });
});

describe('unknown and malformed commands', () => {
  it('refuses commands it does not implement by name', async () => {
    expect((await failure('.show cluster'))['@message']).toBe("The management command '.show cluster' is not supported by the local Kusto engine");
    expect((await failure('.alter table Orders policy retention "{}"'))['@message']).toBe(
      "The management command '.alter table Orders policy retention' is not supported by the local Kusto engine",
    );
    expect((await failure('.show tables | join (Orders) on TableName'))['@message']).toBe("Operator 'join' is not supported by the local Kusto engine");
  });

  it('reports syntax errors in known commands', async () => {
    const error = await failure('.create table Broken (a:)');
    expect(error['@type']).toBe('Kusto.Data.Exceptions.SyntaxException');
    expect(error['@message']).toContain('expected a column type');
    expect((await failure('.create table Broken (a:varchar)'))['@message']).toContain("unknown column type 'varchar'");
  });
});
