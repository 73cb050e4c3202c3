import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { TableClient } from '@azure/data-tables';
import {
  CompressionType,
  DataFormat,
  IngestClient,
  IngestionMappingKind,
  IngestionProperties,
  IngestionStatusInTableDescription,
  IngestStatusQueues,
  JsonColumnMapping,
  ManagedStreamingIngestClient,
  ReportLevel,
  ReportMethod,
  StreamDescriptor,
} from 'azure-kusto-ingest';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { z } from 'zod';
import { waitFor } from '../support/harness';
import { kustoFailure, startEngineFixture, type EngineFixture } from './engine-fixture';

/** Queued ingestion through the engine's Data Management role on Azurite, driven by the official ingest SDK. */

const DB = 'queuedb';
let kusto: EngineFixture;
let queued: IngestClient;
let fileDir: string;

const SENSOR_MAPPING = JSON.stringify([
  { column: 'Device', Properties: { Path: '$.device.id' } },
  { column: 'Reading', Properties: { Path: '$.temp' } },
]);

function props(table: string, extra: Partial<IngestionProperties> = {}): IngestionProperties {
  return new IngestionProperties({ database: DB, table, format: DataFormat.CSV, flushImmediately: true, ...extra });
}

async function count(table: string): Promise<number> {
  return Number((await kusto.rows(DB, `${table} | count`))[0].Count);
}

async function rowsOf(table: string, order: string): Promise<Record<string, unknown>[]> {
  return kusto.rows(DB, `${table} | order by ${order} asc`);
}

function eventually<T>(check: () => Promise<T>, timeoutMs = 15_000): Promise<T> {
  return waitFor(check, { timeoutMs, intervalMs: 100 });
}

async function createTable(name: string, schema: string): Promise<void> {
  await kusto.rows(DB, `.create table ${name} ${schema}`);
}

beforeAll(async () => {
  kusto = await startEngineFixture();
  queued = new IngestClient(kusto.engine.url);
  fileDir = await mkdtemp(path.join(tmpdir(), 'kastor-queued-'));
  for (const table of ['CsvFile', 'CsvStream', 'JsonGzip', 'JsonInline', 'Reported', 'TableReported', 'Broken', 'Managed', 'Fallback', 'Refused', 'Tagged', 'TaggedBatch', 'JsonLarge']) {
    await createTable(table, table.startsWith('Csv') ? '(Id:long, Name:string)' : '(Device:string, Reading:int)');
  }
  await kusto.rows(DB, `.create table JsonGzip ingestion json mapping "sensor" '${SENSOR_MAPPING}'`);
  await kusto.rows(DB, `.create table Broken ingestion json mapping "sensor" '${SENSOR_MAPPING}'`);
  await kusto.rows(DB, `.create table JsonLarge ingestion json mapping "sensor" '${SENSOR_MAPPING}'`);
});

afterAll(async () => {
  queued?.close();
  await kusto?.close();
  if (fileDir) await rm(fileDir, { recursive: true, force: true });
});

describe('queued ingestion from files and streams', () => {
  it('ingests a CSV file (gzipped by the SDK), skipping its header with ignoreFirstRecord', async () => {
    const file = path.join(fileDir, 'people.csv');
    await writeFile(file, 'Id,Name\n1,ada\n2,"grace, h"\n');
    await queued.ingestFromFile(file, props('CsvFile', { ignoreFirstRecord: true }));
    await eventually(async () => expect(await rowsOf('CsvFile', 'Id')).toEqual([{ Id: 1, Name: 'ada' }, { Id: 2, Name: 'grace, h' }]));
  });

  it('ingests a plain CSV stream, every record a row without ignoreFirstRecord', async () => {
    await queued.ingestFromStream(Readable.from([Buffer.from('Id,Name\n7,linus\n')]), props('CsvStream'));
    // Without ignoreFirstRecord the header is a record too: its Id is no long, so null.
    await eventually(async () => expect(await rowsOf('CsvStream', 'Id')).toEqual([{ Id: null, Name: 'Name' }, { Id: 7, Name: 'linus' }]));
  });

  it('ingests a gzipped JSON stream through a stored mapping', async () => {
    const data = gzipSync('{"device":{"id":"d1"},"temp":21}\n{"device":{"id":"d2"},"temp":19}\n');
    await queued.ingestFromStream(
      new StreamDescriptor(Readable.from([data]), null, CompressionType.GZIP),
      props('JsonGzip', { format: DataFormat.JSON, ingestionMappingReference: 'sensor', ingestionMappingKind: IngestionMappingKind.JSON }),
    );
    await eventually(async () => expect(await rowsOf('JsonGzip', 'Device')).toEqual([{ Device: 'd1', Reading: 21 }, { Device: 'd2', Reading: 19 }]));
  });

  it('ingests a blob of 200,000 rows (ADX takes blobs of up to 1 GB)', { timeout: 60_000 }, async () => {
    const lines = Array.from({ length: 200_000 }, (_, id) => `{"device":{"id":"d${id % 7}"},"temp":${id % 50}}`);
    await queued.ingestFromStream(
      new StreamDescriptor(Readable.from([gzipSync(lines.join('\n'))]), null, CompressionType.GZIP),
      props('JsonLarge', { format: DataFormat.JSON, ingestionMappingReference: 'sensor', ingestionMappingKind: IngestionMappingKind.JSON }),
    );
    await eventually(async () => expect(await count('JsonLarge')).toBe(200_000), 45_000);
    expect(await kusto.rows(DB, 'JsonLarge | where Device == "d3" | count')).toEqual([{ Count: lines.filter((_, id) => id % 7 === 3).length }]);
  });

  it('ingests JSON with inline mapping columns from a gzipped file', async () => {
    const file = path.join(fileDir, 'sensors.json.gz');
    await writeFile(file, gzipSync('{"d":"x1","t":5}\n'));
    await queued.ingestFromFile(
      file,
      props('JsonInline', {
        format: DataFormat.JSON,
        ingestionMappingColumns: [JsonColumnMapping.withPath('Device', '$.d'), JsonColumnMapping.withPath('Reading', '$.t')],
        ingestionMappingKind: IngestionMappingKind.JSON,
      }),
    );
    await eventually(async () => expect(await rowsOf('JsonInline', 'Device')).toEqual([{ Device: 'x1', Reading: 5 }]));
  });
});

describe('status reporting', () => {
  it('posts a success message on the successful-ingestions queue when asked for successes', async () => {
    const status = new IngestStatusQueues(queued);
    await queued.ingestFromStream(
      Readable.from([Buffer.from('{"Device":"ok","Reading":1}')]),
      props('Reported', { format: DataFormat.JSON, reportLevel: ReportLevel.FailuresAndSuccesses }),
    );
    const [message] = await eventually(async () => {
      const messages = await status.success.pop(1);
      expect(messages).toHaveLength(1);
      return messages;
    });
    expect(message).toMatchObject({ Database: DB, Table: 'Reported', IngestionSourcePath: expect.stringMatching(/queuedb__Reported__.*\.json$/) });
    expect(await count('Reported')).toBe(1);
  });

  it('reports a missing mapping as a permanent failure on the failed queue and in .show ingestion failures', async () => {
    const status = new IngestStatusQueues(queued);
    await queued.ingestFromStream(
      Readable.from([Buffer.from('{"device":{"id":"z"}}')]),
      props('Broken', { format: DataFormat.JSON, ingestionMappingReference: 'no_such_mapping', ingestionMappingKind: IngestionMappingKind.JSON }),
    );
    const [failure] = await eventually(async () => {
      const messages = await status.failure.pop(1);
      expect(messages).toHaveLength(1);
      return messages;
    });
    expect(failure).toMatchObject({
      Database: DB,
      Table: 'Broken',
      ErrorCode: 'BadRequest_MappingReferenceWasNotFound',
      FailureStatus: 'Permanent',
      ShouldRetry: false,
      OriginatesFromUpdatePolicy: false,
      Details: expect.stringContaining("'no_such_mapping'"),
    });
    const { OperationId } = z.object({ OperationId: z.string().uuid() }).parse(failure);
    const [row] = await kusto.rows(DB, `.show ingestion failures | where OperationId == '${OperationId}'`);
    expect(row).toMatchObject({ Table: 'Broken', FailureKind: 'Permanent', ErrorCode: 'BadRequest_MappingReferenceWasNotFound', OperationKind: 'DataIngestPull' });
    expect(await count('Broken')).toBe(0);
  });

  it('updates the status table entity with ReportMethod.QueueAndTable', async () => {
    const result = await queued.ingestFromStream(
      Readable.from([Buffer.from('{"Device":"t","Reading":3}')]),
      props('TableReported', { format: DataFormat.JSON, reportLevel: ReportLevel.FailuresAndSuccesses, reportMethod: ReportMethod.QueueAndTable }),
    );
    // The SDK's own status TableClient refuses plain http (ADX's storage is https), so the entity
    // the engine wrote is read with the table client directly, by the table the engine handed out.
    const resource = (await kusto.rows('NetDefaultDB', '.get ingestion resources')).find((row) => row.ResourceTypeName === 'IngestionsStatusTable')!;
    const tableName = new URL(String(resource.StorageRoot)).pathname.split('/').pop()!;
    const statusTable = TableClient.fromConnectionString(inject('storageConnectionString'), tableName, { allowInsecureConnection: true });
    // A TableReportIngestionResult (not exported by the SDK) names the entity it will read.
    const description = (result as { ingestionStatusInTableDescription?: IngestionStatusInTableDescription }).ingestionStatusInTableDescription;
    expect(description).toBeInstanceOf(IngestionStatusInTableDescription);
    const { partitionKey, rowKey } = description!;
    const entity = await eventually(async () => {
      const found = await statusTable.getEntity<Record<string, unknown>>(partitionKey, rowKey);
      expect(found.Status).toBe('Succeeded');
      return found;
    });
    expect(entity).toMatchObject({ Status: 'Succeeded', ErrorCode: '' });
    expect(await count('TableReported')).toBe(1);
  });
});

describe('ingest-by tags', () => {
  const json = (table: string, tag: string, extra: Partial<IngestionProperties> = {}) =>
    props(table, { format: DataFormat.JSON, ingestByTags: [tag], ingestIfNotExists: JSON.stringify([tag]), reportLevel: ReportLevel.FailuresAndSuccesses, ...extra });

  /** The next report on the queue for `table`; reports left by earlier tests are passed over. */
  async function popReport(status: IngestStatusQueues, queue: 'success' | 'failure', table: string): Promise<Record<string, unknown>> {
    return eventually(async () => {
      let message: Record<string, unknown> | undefined;
      while (!message) {
        const [next] = (await status[queue].pop(1)) as unknown as Record<string, unknown>[];
        expect(next).toBeDefined();
        if (next.Table === table) message = next;
      }
      return message;
    });
  }

  it('lands tagged data once: the same tag sent again with ingestIfNotExists is skipped, as ADX reports it', async () => {
    const status = new IngestStatusQueues(queued);
    await queued.ingestFromStream(Readable.from([Buffer.from('{"Device":"t1","Reading":1}')]), json('Tagged', 'range-1'));
    expect(await popReport(status, 'success', 'Tagged')).toMatchObject({ Table: 'Tagged' });
    await queued.ingestFromStream(Readable.from([Buffer.from('{"Device":"t1","Reading":1}')]), json('Tagged', 'range-1'));
    expect(await popReport(status, 'failure', 'Tagged')).toMatchObject({
      Table: 'Tagged',
      ErrorCode: 'Skipped_IngestByTagAlreadyExists',
      FailureStatus: 'Permanent',
      ShouldRetry: false,
    });
    // Another tag lands.
    await queued.ingestFromStream(Readable.from([Buffer.from('{"Device":"t2","Reading":2}')]), json('Tagged', 'range-2'));
    expect(await popReport(status, 'success', 'Tagged')).toMatchObject({ Table: 'Tagged' });
    expect(await rowsOf('Tagged', 'Device')).toEqual([{ Device: 't1', Reading: 1 }, { Device: 't2', Reading: 2 }]);
    const extents = await kusto.rows(DB, '.show table Tagged extents');
    expect(extents.map((extent) => extent.Tags)).toEqual(['ingest-by:range-1', 'ingest-by:range-2']);
    // A skip is not an ingestion failure.
    const failures = await kusto.rows(DB, '.show ingestion failures');
    expect(failures.filter((failure) => failure.Table === 'Tagged')).toEqual([]);
  });

  it('skips the second of two blobs with the same tag sealed in one batch', { timeout: 60_000 }, async () => {
    await kusto.rows(DB, `.alter table TaggedBatch policy ingestionbatching '{"MaximumBatchingTimeSpan":"00:00:30","MaximumNumberOfItems":2,"MaximumRawDataSizeMB":100}'`);
    const status = new IngestStatusQueues(queued);
    for (const device of ['first', 'second']) {
      await queued.ingestFromStream(Readable.from([Buffer.from(`{"Device":"${device}","Reading":3}`)]), json('TaggedBatch', 'same', { flushImmediately: false }));
    }
    expect(await popReport(status, 'failure', 'TaggedBatch')).toMatchObject({ Table: 'TaggedBatch', ErrorCode: 'Skipped_IngestByTagAlreadyExists' });
    expect(await popReport(status, 'success', 'TaggedBatch')).toMatchObject({ Table: 'TaggedBatch' });
    expect(await rowsOf('TaggedBatch', 'Device')).toEqual([{ Device: 'first', Reading: 3 }]);
  });

  it('refuses a malformed tag list, naming the property', async () => {
    const status = new IngestStatusQueues(queued);
    await queued.ingestFromStream(
      Readable.from([Buffer.from('{"Device":"x","Reading":1}')]),
      props('Tagged', { format: DataFormat.JSON, ingestIfNotExists: 'not-json', reportLevel: ReportLevel.FailuresAndSuccesses }),
    );
    expect(await popReport(status, 'failure', 'Tagged')).toMatchObject({ ErrorCode: 'BadRequest_InvalidIngestionProperties', Details: expect.stringContaining('ingestIfNotExists') });
  });
});

describe('ingestion batching policy', () => {
  it('seals by time no earlier than MaximumBatchingTimeSpan, and by item count at once', { timeout: 60_000 }, async () => {
    const policy = `'{"MaximumBatchingTimeSpan":"00:00:10","MaximumNumberOfItems":5,"MaximumRawDataSizeMB":100}'`;
    for (const table of ['ByTime', 'ByCount']) {
      await createTable(table, '(Id:long, Name:string)');
      await kusto.rows(DB, `.alter table ${table} policy ingestionbatching ${policy}`);
    }
    const batchProps = (table: string) => new IngestionProperties({ database: DB, table, format: DataFormat.CSV });
    const started = Date.now();
    await queued.ingestFromStream(Readable.from([Buffer.from('1,alone\n')]), batchProps('ByTime'));
    const queuedAt = Date.now();
    await Promise.all([1, 2, 3, 4, 5].map((id) => queued.ingestFromStream(Readable.from([Buffer.from(`${id},five\n`)]), batchProps('ByCount'))));

    await eventually(async () => expect(await count('ByCount')).toBe(5));
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await count('ByTime')).toBe(0);

    await eventually(async () => expect(await count('ByTime')).toBe(1), 20_000);
    const landedAfter = Date.now() - queuedAt;
    expect(landedAfter).toBeGreaterThanOrEqual(10_000);
    expect(landedAfter).toBeLessThan(12_500);
    // The five blobs of the count-sealed batch are one extent.
    expect((await kusto.rows(DB, '.show table ByCount details'))[0]).toMatchObject({ TotalExtents: 1, TotalRowCount: 5 });
  });
});

describe('streaming policy and the managed client', () => {
  it('refuses streaming into a table whose streaming policy is not enabled, with ADX error', async () => {
    const error = await kustoFailure(kusto.ingest(DB, 'Refused', '{"Device":"a","Reading":1}'));
    expect(error.response.status).toBe(400);
    expect(error.response.data.error).toMatchObject({
      code: 'BadRequest_StreamingIngestionPolicyNotEnabled',
      '@permanent': true,
      '@message': expect.stringMatching(/^Streaming ingestion policy is not enabled for the table 'Refused'/),
    });
    await kusto.rows(DB, '.alter table Refused policy streamingingestion enable');
    await kusto.ingest(DB, 'Refused', '{"Device":"a","Reading":1}');
    expect(await count('Refused')).toBe(1);
  });

  it('streams with the managed client, and falls back to queued ingestion when streaming is off', { timeout: 60_000 }, async () => {
    const managed = new ManagedStreamingIngestClient(kusto.engine.url, kusto.engine.url);
    try {
      await kusto.rows(DB, '.alter table Managed policy streamingingestion enable');
      const streamed = await managed.ingestFromStream(Readable.from([Buffer.from('{"Device":"m","Reading":1}')]), props('Managed', { format: DataFormat.JSON }));
      // A streaming answer comes back at once, and the row is there before any queue is polled.
      expect(await count('Managed')).toBe(1);
      expect(streamed).toBeDefined();

      await kusto.rows(DB, '.alter table Fallback policy streamingingestion disable');
      const fallback = await managed.ingestFromStream(Readable.from([Buffer.from('{"Device":"f","Reading":2}')]), props('Fallback', { format: DataFormat.JSON }));
      // Falling back means a queued ingestion result, not a streaming response.
      if (!('getIngestionStatusCollection' in fallback)) throw new Error('expected the managed client to fall back to queued ingestion');
      expect(await fallback.getIngestionStatusCollection()).toMatchObject({ Status: 'Queued' });
      await eventually(async () => expect(await rowsOf('Fallback', 'Device')).toEqual([{ Device: 'f', Reading: 2 }]));
    } finally {
      managed.close();
    }
  });
});

describe('management commands around ingestion', () => {
  it('answers .get ingestion resources and .get kusto identity token as the DM endpoint does', async () => {
    const resources = await kusto.rows('NetDefaultDB', '.get ingestion resources');
    expect(resources.map((row) => row.ResourceTypeName).sort()).toEqual([
      'FailedIngestionsQueue',
      'IngestionsStatusTable',
      'SecuredReadyForAggregationQueue',
      'SuccessfulIngestionsQueue',
      'TempStorage',
    ]);
    for (const row of resources) expect(String(row.StorageRoot)).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1\/[a-z0-9-]+\?.*sig=/);
    const [token] = await kusto.rows('NetDefaultDB', '.get kusto identity token');
    expect(String(token.AuthorizationContext).length).toBeGreaterThan(20);
  });

  it('shows the version and the databases', async () => {
    const [version] = await kusto.rows(DB, '.show version');
    expect(Object.keys(version)).toEqual(['BuildVersion', 'BuildTime', 'ServiceType', 'ProductVersion', 'ServiceOffering']);
    const databases = await kusto.rows(DB, '.show databases');
    expect(databases.find((row) => row.DatabaseName === DB)).toMatchObject({ IsCurrent: true, DatabaseAccessMode: 'ReadWrite', PersistentStorage: '', InTransitionTo: '' });
    expect(Object.keys(databases[0])).toEqual(['DatabaseName', 'PersistentStorage', 'Version', 'IsCurrent', 'DatabaseAccessMode', 'PrettyName', 'ReservedSlot1', 'DatabaseId', 'InTransitionTo']);
  });

  it('pipes .show output into a query, drops several tables at once and accepts cache clears', async () => {
    await createTable('DropA', '(x:long)');
    await createTable('DropB', '(x:long)');
    expect(await kusto.rows(DB, ".show tables | where TableName startswith 'Drop' | project TableName | order by TableName asc")).toEqual([
      { TableName: 'DropA' },
      { TableName: 'DropB' },
    ]);
    expect(await kusto.rows(DB, ".show tables | where TableName == 'DropA'")).toEqual([{ TableName: 'DropA', DatabaseName: DB, Folder: '', DocString: '' }]);
    const missing = await kustoFailure(kusto.client.execute(DB, '.drop tables (DropA, NotThere)'));
    expect(missing.response.data.error['@message']).toBe(`Table 'NotThere' was not found in database '${DB}'`);
    const remaining = await kusto.rows(DB, '.drop tables (DropA, DropB, NotThere) ifexists');
    expect(remaining.map((row) => row.TableName)).not.toContain('DropA');
    expect(remaining.map((row) => row.TableName)).not.toContain('DropB');
    expect(await kusto.rows(DB, '.clear database cache streamingingestion schema')).toEqual([{ NodeId: 'KustoLocalEngine', Status: 'Succeeded' }]);
  });

  it('keeps database-level policies, which apply to tables without their own', async () => {
    await createTable('DbPolicy', '(Device:string, Reading:int)');
    const refused = await kustoFailure(kusto.ingest(DB, 'DbPolicy', '{"Device":"d","Reading":1}'));
    expect(refused.response.data.error.code).toBe('BadRequest_StreamingIngestionPolicyNotEnabled');
    await kusto.rows('otherdb', `.alter database ${DB} policy streamingingestion enable`);
    await kusto.ingest(DB, 'DbPolicy', '{"Device":"d","Reading":1}');
    const [policy] = await kusto.rows(DB, `.show database ${DB} policy streamingingestion`);
    expect(policy).toMatchObject({ PolicyName: 'StreamingIngestionPolicy', EntityName: `[${DB}]`, EntityType: 'Database' });
    await kusto.rows(DB, `.delete database ${DB} policy streamingingestion`);
  });
});
