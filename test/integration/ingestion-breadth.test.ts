import { Client as KustoClient } from 'azure-kusto-data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as sampleRoute from '../../app/api/connections/kafka/[id]/topics/[topic]/sample/route';
import * as actionRoute from '../../app/api/connectors/[id]/actions/[action]/route';
import * as conversionsRoute from '../../app/api/connectors/[id]/conversions/route';
import * as errorsRoute from '../../app/api/connectors/[id]/errors/route';
import * as schemaChangesRoute from '../../app/api/connectors/[id]/schema-changes/route';
import * as topicsRoute from '../../app/api/connectors/[id]/topics/route';
import * as connectorsRoute from '../../app/api/connectors/route';
import * as importRoute from '../../app/api/import/route';
import * as inferRoute from '../../app/api/wizard/infer-columns/route';
import * as previewRoute from '../../app/api/wizard/preview/route';
import type { TColumn } from '../../lib/connectors/connector-definition';
import { createTopic, produce, startPipelineWorld, uniqueName, waitFor, type PipelineWorld } from '../support/harness';
import { callRoute, kustoRows } from '../support/route-calls';

/**
 * Ingestion breadth through the API and a real worker, broker and engine: CSV with a
 * header line, Kafka metadata as columns, two topics into two tables in one (imported) connector,
 * a new field proposed and applied as a revision, and values that did not fit their column counted.
 */
let world: PipelineWorld;

const call = callRoute;

function query<T>(database: string, csl: string): Promise<T[]> {
  return kustoRows<T>(world.engine.url, database, csl);
}

async function mgmt(database: string, csl: string): Promise<void> {
  const client = new KustoClient(world.engine.url);
  try {
    await client.executeMgmt(database, csl);
  } finally {
    client.close();
  }
}

function connectorBody(name: string, topics: string[], database: string, table: string, columns: TColumn[], extra: object = {}) {
  return {
    name,
    kafkaConnectionId: world.ids.kafkaConnectionId,
    kustoConnectionId: world.ids.kustoConnectionId,
    source: { topics, startFrom: 'earliest' },
    format: 'json',
    target: { database, table, mappingName: `${table.toLowerCase()}_mapping`, columns },
    ingestion: { mode: 'streaming' },
    flush: { maxRecords: 100, maxBytes: 1_048_576, maxAgeMs: 200 },
    errorPolicy: { onDecodeError: 'skip' },
    ...extra,
  };
}

async function createConnector(body: object): Promise<{ id: string; revision: number }> {
  const created = await call(connectorsRoute.POST, '/api/connectors', body);
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.connector;
}

beforeAll(async () => {
  world = await startPipelineWorld();
});

afterAll(async () => {
  await world?.close();
});

describe('CSV topics', () => {
  it('reads the header line for column names and types, lands typed rows with Kafka metadata, and skips a short line by policy', async () => {
    const topic = uniqueName('scores_csv');
    const database = uniqueName('csvdb');
    await createTopic(topic, 1);
    const at = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
    await produce(topic, [
      { value: 'player_id,score,played_at,nickname' },
      { key: 'k1', value: '7,1.5,2026-01-02 03:04:05,"Ann, the first"', timestamp: String(at), headers: { region: 'eu' } },
      { key: 'k2', value: '8,2.25,2026-01-03 00:00:00,Bob', headers: { region: 'us' } },
      { key: 'k3', value: '9,3' },
      { key: 'k4', value: '10,4.75,2026-01-04 12:00:00,Dee', headers: { region: 'eu' } },
    ]);

    const sample = await call(sampleRoute.GET, `/api/connections/kafka/x/topics/${topic}/sample?limit=10`, undefined, { id: world.ids.kafkaConnectionId, topic });
    expect(sample.status).toBe(200);
    expect(sample.body.format).toBe('csv');
    expect(sample.body.csv).toEqual({ delimiter: ',', quote: '"', header: true, fields: ['player_id', 'score', 'played_at', 'nickname'] });

    // Newest first as sampled; in offset order below, so the preview's rows follow the topic.
    const messages = [...sample.body.messages].sort((a: { offset: number }, b: { offset: number }) => a.offset - b.offset);
    const samples = messages.map((message: { value: string }) => message.value);
    const inferred = await call(inferRoute.POST, '/api/wizard/infer-columns', { samples, format: 'csv', csv: sample.body.csv });
    expect(inferred.status).toBe(200);
    expect(inferred.body.columns).toEqual([
      { name: 'PlayerID', type: 'int', path: '$.player_id' },
      { name: 'Score', type: 'real', path: '$.score' },
      { name: 'PlayedAt', type: 'datetime', path: '$.played_at' },
      { name: 'Nickname', type: 'string', path: '$.nickname' },
    ]);
    const metadataColumns: TColumn[] = [
      { name: 'KafkaPartition', type: 'int', path: '$.__kafka.partition' },
      { name: 'KafkaOffset', type: 'long', path: '$.__kafka.offset' },
      { name: 'KafkaTimestamp', type: 'datetime', path: '$.__kafka.timestamp' },
      { name: 'KafkaKey', type: 'string', path: '$.__kafka.key' },
      { name: 'Region', type: 'string', path: "$.__kafka.headers['region']" },
    ];
    const columns = [...inferred.body.columns, ...metadataColumns];

    // The preview shows what will land, metadata included; the header line is not a row.
    const preview = await call(previewRoute.POST, '/api/wizard/preview', {
      samples,
      format: 'csv',
      csv: sample.body.csv,
      columns,
      metadata: messages.map((message: any) => ({ topic, partition: message.partition, offset: message.offset, timestamp: message.timestamp, key: message.key, headers: message.headers })),
    });
    expect(preview.status).toBe(200);
    expect(preview.body.rows[0].nulls[0].reason).toBe('the header line: not a row');
    expect(preview.body.rows[1].values).toEqual([7, 1.5, '2026-01-02T03:04:05.0000000Z', 'Ann, the first', 0, 1, '2026-01-02T03:04:05.6780000Z', 'k1', 'eu']);

    const connector = await createConnector({ ...connectorBody(uniqueName('csv').replace(/_/g, '-'), [topic], database, 'Scores', columns), format: 'csv', csv: sample.body.csv });
    const rows = await waitFor(async () => {
      const found = await query<Record<string, unknown>>(database, 'Scores | order by KafkaOffset asc');
      expect(found).toHaveLength(3);
      return found;
    });
    expect(rows[0]).toMatchObject({ PlayerID: 7, Score: 1.5, Nickname: 'Ann, the first', KafkaPartition: 0, KafkaOffset: 1, KafkaKey: 'k1', Region: 'eu' });
    expect(new Date(rows[0].PlayedAt as string).toISOString()).toBe('2026-01-02T03:04:05.000Z');
    expect(new Date(rows[0].KafkaTimestamp as string).getTime()).toBe(at);
    expect(rows.map((row) => row.PlayerID)).toEqual([7, 8, 10]);
    // Typed columns, so comparisons are numeric and temporal, not textual.
    expect((await query<{ Count: number }>(database, 'Scores | where PlayerID > 7 and Score > 2.0 and PlayedAt > datetime(2026-01-02 12:00) and KafkaOffset >= 2 | count'))[0].Count).toBe(2);

    const errors = await waitFor(async () => {
      const found = await call(errorsRoute.GET, `/api/connectors/${connector.id}/errors`, undefined, { id: connector.id });
      expect(found.body.errors).toHaveLength(1);
      return found.body.errors;
    });
    expect(errors[0]).toMatchObject({ kind: 'decode', topic, partition: 0, offset: 3 });
    expect(errors[0].message).toMatch(/2 fields, fewer than the 4 the connector reads/);
  });
});

describe('several topics per connector', () => {
  it('imports a two-entry sink config as one connector that routes each topic to its table, with lag per topic', async () => {
    const [clicks, views] = [uniqueName('clicks'), uniqueName('views')];
    const database = uniqueName('multidb');
    await createTopic(clicks, 2);
    await createTopic(views, 1);
    // The tables and JSON mappings the hand-built sink ingested into, as its users made them.
    for (const [table, mapping] of [['Clicks', 'clicks_mapping'], ['Views', 'views_mapping']]) {
      await mgmt(database, `.create-merge table ${table} (Id:long, Page:string)`);
      await mgmt(database, `.create-or-alter table ${table} ingestion json mapping '${mapping}' '[{"column":"Id","datatype":"long","Properties":{"Path":"$.id"}},{"column":"Page","datatype":"string","Properties":{"Path":"$.page"}}]'`);
    }
    const config = {
      name: 'web-analytics',
      config: {
        'connector.class': 'com.microsoft.azure.kusto.kafka.connect.sink.KustoSinkConnector',
        topics: `${clicks},${views}`,
        'kusto.tables.topics.mapping': `[{'topic': '${clicks}','db': '${database}', 'table': 'Clicks','format': 'json', 'mapping':'clicks_mapping', 'streaming': 'true'},{'topic': '${views}','db': '${database}', 'table': 'Views','format': 'json', 'mapping':'views_mapping', 'streaming': 'true'}]`,
        'flush.size.bytes': '1048576',
        'flush.interval.ms': '300',
      },
    };
    const imported = await call(importRoute.POST, '/api/import', { kafkaConnect: { config, kafkaConnection: 'test-kafka', kustoConnection: 'test-kusto' } });
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    const id = imported.body.connectorIds['web-analytics'];
    expect(Object.keys(imported.body.connectorIds)).toEqual(['web-analytics']);

    await produce(clicks, Array.from({ length: 6 }, (_, i) => ({ value: JSON.stringify({ id: i, page: `/c${i}` }), partition: i % 2 })));
    await produce(views, Array.from({ length: 4 }, (_, i) => ({ value: JSON.stringify({ id: 100 + i, page: `/v${i}` }) })));
    await waitFor(async () => {
      expect((await query<{ Count: number }>(database, 'Clicks | count'))[0].Count).toBe(6);
      expect((await query<{ Count: number }>(database, 'Views | count'))[0].Count).toBe(4);
    });
    expect((await query<{ Id: number }>(database, 'Views | order by Id asc | project Id')).map((row) => row.Id)).toEqual([100, 101, 102, 103]);

    // Paused, the views topic falls behind and the clicks topic does not.
    expect((await call(actionRoute.POST, `/api/connectors/${id}/actions/pause`, {}, { id, action: 'pause' })).status).toBe(202);
    await waitFor(async () => expect((await world.database.db.connectorStatus.findUnique({ where: { connectorId: id } }))?.actualState).toBe('PAUSED'));
    await produce(views, Array.from({ length: 3 }, (_, i) => ({ value: JSON.stringify({ id: 200 + i, page: '/late' }) })));
    const topics = await waitFor(
      async () => {
        const found = await call(topicsRoute.GET, `/api/connectors/${id}/topics`, undefined, { id });
        expect(found.body.topics.find((topic: { topic: string }) => topic.topic === views)?.lag).toBe(3);
        return found.body.topics;
      },
      { timeoutMs: 20_000 },
    );
    expect(topics).toEqual(
      [
        { topic: clicks, table: 'Clicks', partitions: 2, lag: 0, rowsWritten: 6, errors: 0 },
        { topic: views, table: 'Views', partitions: 1, lag: 3, rowsWritten: 4, errors: 0 },
      ].sort((a, b) => a.topic.localeCompare(b.topic)),
    );
    await call(actionRoute.POST, `/api/connectors/${id}/actions/stop`, {}, { id, action: 'stop' });
  });
});

describe('schema evolution', () => {
  it('proposes a column for a new field, and applying it makes a revision whose rows carry the value', async () => {
    const topic = uniqueName('events');
    const database = uniqueName('evodb');
    await createTopic(topic, 1);
    await produce(topic, [{ value: JSON.stringify({ id: 1, message: 'started' }) }]);
    const connector = await createConnector(
      connectorBody(uniqueName('evo').replace(/_/g, '-'), [topic], database, 'Events', [
        { name: 'Id', type: 'long', path: '$.id' },
        { name: 'Message', type: 'string', path: '$.message' },
      ]),
    );
    await waitFor(async () => expect(await query(database, 'Events')).toHaveLength(1));
    const none = await call(schemaChangesRoute.GET, `/api/connectors/${connector.id}/schema-changes`, undefined, { id: connector.id });
    expect(none.body.proposals).toEqual([]);

    await produce(topic, [{ value: JSON.stringify({ id: 2, message: 'warned', level: 'warn' }) }]);
    const report = await waitFor(async () => {
      const found = await call(schemaChangesRoute.GET, `/api/connectors/${connector.id}/schema-changes`, undefined, { id: connector.id });
      expect(found.body.proposals).toHaveLength(1);
      return found.body;
    });
    expect(report).toMatchObject({ revision: 1, principalRole: 'ADMIN' });
    expect(report.proposals[0]).toMatchObject({ database, table: 'Events', newColumns: [{ name: 'Level', type: 'string', path: '$.level' }] });
    expect(report.proposals[0].commands[0]).toBe(".create-merge table ['Events'] (['Id']:long, ['Message']:string, ['Level']:string)");
    // Nothing changed on its own: the row with the new field landed without it.
    const before = await waitFor(async () => {
      const found = await query<Record<string, unknown>>(database, 'Events | where Id == 2');
      expect(found).toHaveLength(1);
      return found[0];
    });
    expect(before).not.toHaveProperty('Level');

    const applied = await call(schemaChangesRoute.POST, `/api/connectors/${connector.id}/schema-changes`, { expectedRevision: 1, tables: [{ table: 'Events', columns: report.proposals[0].newColumns }] }, { id: connector.id });
    expect(applied.status).toBe(200);
    expect(applied.body.connector.revision).toBe(2);
    const stale = await call(schemaChangesRoute.POST, `/api/connectors/${connector.id}/schema-changes`, { expectedRevision: 1, tables: [{ table: 'Events', columns: report.proposals[0].newColumns }] }, { id: connector.id });
    expect(stale.status).toBe(409);

    await produce(topic, [{ value: JSON.stringify({ id: 3, message: 'failed', level: 'error' }) }]);
    const row = await waitFor(async () => {
      const found = await query<Record<string, unknown>>(database, 'Events | where Id == 3');
      expect(found).toHaveLength(1);
      return found[0];
    });
    expect(row.Level).toBe('error');
    expect((await call(schemaChangesRoute.GET, `/api/connectors/${connector.id}/schema-changes`, undefined, { id: connector.id })).body.proposals).toEqual([]);
  });
});

describe('conversion visibility', () => {
  it('counts values that did not fit their column, with an example offset, while the rows land with null there', async () => {
    const topic = uniqueName('players');
    const database = uniqueName('convdb');
    await createTopic(topic, 1);
    await produce(topic, [
      { value: JSON.stringify({ playerId: 5, name: 'fits' }) },
      ...Array.from({ length: 10 }, (_, i) => ({ value: JSON.stringify({ playerId: 2 ** 40 + i, name: `big-${i}` }) })),
      // Latin-1 bytes in a JSON record: not UTF-8, read as U+FFFD.
      { value: Buffer.concat([Buffer.from('{"playerId": 6, "name": "caf'), Buffer.from([0xe9]), Buffer.from('"}')]) },
    ]);
    const connector = await createConnector(
      connectorBody(uniqueName('conv').replace(/_/g, '-'), [topic], database, 'Players', [
        { name: 'PlayerID', type: 'int', path: '$.playerId' },
        { name: 'Name', type: 'string', path: '$.name' },
      ]),
    );
    await waitFor(async () => expect(await query(database, 'Players')).toHaveLength(12));
    expect((await query<{ Count: number }>(database, 'Players | where isnull(PlayerID) | count'))[0].Count).toBe(10);

    const issues = await waitFor(async () => {
      const found = await call(conversionsRoute.GET, `/api/connectors/${connector.id}/conversions`, undefined, { id: connector.id });
      expect(found.body.issues).toHaveLength(2);
      return found.body.issues;
    });
    expect(issues[0]).toMatchObject({ table: 'Players', column: 'PlayerID', kind: 'did-not-fit', columnType: 'int', count: 10, example: { topic, partition: 0 } });
    expect(issues[0].example.offset).toBeGreaterThanOrEqual(1);
    expect(issues[0].example.offset).toBeLessThanOrEqual(10);
    expect(issues[0].example.value).toMatch(/^10995116277\d\d$/);
    expect(issues[1]).toMatchObject({ column: '(value)', kind: 'invalid-utf8', count: 1, example: { offset: 11 } });
  });
});
