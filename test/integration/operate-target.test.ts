import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ClientRequestProperties, Client as KustoClient } from 'azure-kusto-data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as errorsRoute from '../../app/api/connectors/[id]/errors/route';
import * as queryRoute from '../../app/api/connectors/[id]/query/route';
import * as reapplyRoute from '../../app/api/connectors/[id]/target/reapply/route';
import * as targetRoute from '../../app/api/connectors/[id]/target/route';
import { startKustoEngine } from '../../engine/server';
import { createKustoConnection } from '../../lib/connections/save-connections';
import { applyLifecycleAction } from '../../lib/connectors/lifecycle';
import { getConnector } from '../../lib/connectors/read-connectors';
import { createConnector } from '../../lib/connectors/save-connector';
import { gameplayConnectorDefinition, REFERENCE_EVENTS, toKafkaMessage } from '../../lib/demo/gameplay';
import type { Supervisor } from '../../worker/supervisor';
import {
  createTopic,
  kustoCount,
  produce,
  secretKey,
  uniqueName,
  waitFor,
  type TestDatabase,
  type TestEngine,
  startPipelineWorld,
  type PipelineWorld,
} from '../support/harness';
import { jsonRequest, readJson } from '../support/route-requests';

let world: PipelineWorld;
let database: TestDatabase;
let engine: TestEngine;
let supervisor: Supervisor;
let ids: { kafkaConnectionId: string; kustoConnectionId: string };
let connectorId: string;
let topic: string;


const params = (id: string) => ({ params: Promise.resolve({ id }) });
const getTarget = async (id = connectorId) => readJson(await targetRoute.GET(jsonRequest('GET', `/api/connectors/${id}/target`), params(id)));
const reapply = async (id = connectorId) => readJson(await reapplyRoute.POST(jsonRequest('POST', `/api/connectors/${id}/target/reapply`), params(id)));
const query = async (csl: string, id = connectorId) => readJson(await queryRoute.POST(jsonRequest('POST', `/api/connectors/${id}/query`, { csl }), params(id)));

beforeAll(async () => {
  world = await startPipelineWorld();
  ({ database, engine, ids, supervisor } = world);
  topic = uniqueName('target');
  await createTopic(topic, 4);
  const connector = await createConnector(database.db, gameplayConnectorDefinition(ids, { source: { topics: [topic], startFrom: 'earliest' } }), 'test');
  connectorId = connector.id;
  await produce(topic, REFERENCE_EVENTS.map(toKafkaMessage));
  await waitFor(async () => expect((await getConnector(database.db, connectorId)).rowsWritten).toBe(4));
});

afterAll(async () => {
  await world?.close();
});

describe('GET /api/connectors/:id/target', () => {
  it('shows the table, the count from the target beside the rows written (compared once both describe the same moment), the applied revision and no drift', async () => {
    // Right after the rows land the workers' counter may still be a metrics cycle behind.
    const { status, body } = await waitFor(async () => {
      const answer = await getTarget();
      expect(answer.body.rowComparison).toEqual({ state: 'settled', difference: 0 });
      return answer;
    });
    expect(status).toBe(200);
    expect(body).toEqual({
      database: 'gamesdb',
      table: 'GamePlay',
      columns: [
        { name: 'PlayerID', type: 'int' },
        { name: 'GameID', type: 'int' },
        { name: 'Win', type: 'long' },
        { name: 'Score', type: 'int' },
        { name: 'EventTime', type: 'datetime' },
      ],
      targetRowCount: 4,
      rowsWritten: 4,
      rowComparison: { state: 'settled', difference: 0 },
      revision: 1,
      appliedRevision: 1,
      drift: [],
      ingestorOnly: false,
      adminCommands: [],
      error: null,
    });
  });

  it('reports drift when the batching policy is changed on the target directly, and a re-apply removes it', async () => {
    const client = new KustoClient(engine.url);
    try {
      await client.executeMgmt('gamesdb', `.alter table GamePlay policy ingestionbatching '{"MaximumBatchingTimeSpan":"00:02:00","MaximumNumberOfItems":1000,"MaximumRawDataSizeMB":512}'`);
    } finally {
      client.close();
    }
    const drifted = await getTarget();
    expect(drifted.body.drift).toHaveLength(1);
    expect(drifted.body.drift[0]).toMatchObject({ what: 'batching policy', expected: expect.stringContaining('"MaximumNumberOfItems":5') });
    expect(JSON.parse(drifted.body.drift[0].actual)).toMatchObject({ MaximumBatchingTimeSpan: '00:02:00', MaximumNumberOfItems: 1000 });

    const { status, body } = await reapply();
    expect(status).toBe(200);
    expect(body.results.map((result: { purpose: string; ok: boolean }) => [result.purpose, result.ok])).toEqual([
      ['table', true],
      ['mapping', true],
      ['batching policy', true],
      ['streaming policy', true],
    ]);
    expect((await getTarget()).body.drift).toEqual([]);
    const audit = await database.db.auditEvent.findMany({ where: { connectorId, action: 'reapply-target' } });
    expect(audit).toHaveLength(1);
  });

  it('reports a mapping removed on the target as drift', async () => {
    const client = new KustoClient(engine.url);
    try {
      await client.executeMgmt('gamesdb', `.drop table GamePlay ingestion json mapping 'gameplay_json_mapping'`);
    } finally {
      client.close();
    }
    expect((await getTarget()).body.drift).toEqual([
      { what: 'mapping', expected: expect.stringContaining('GameID <- $.gameId'), actual: '(no mapping gameplay_json_mapping)' },
    ]);
    await reapply();
    expect((await getTarget()).body.drift).toEqual([]);
  });
});

describe('POST /api/connectors/:id/query', () => {
  it('answers a summarize with the right counts', async () => {
    const { status, body } = await query('GamePlay | summarize count() by GameID | order by GameID asc');
    expect(status).toBe(200);
    expect(body.columns).toEqual([
      { name: 'GameID', type: 'int' },
      { name: 'count_', type: 'long' },
    ]);
    expect(body.rows).toEqual([
      [17, 1],
      [23, 1],
      [27, 2],
    ]);
    expect(body).toMatchObject({ rowCount: 3, truncated: false });
    expect(typeof body.durationMs).toBe('number');
  });

  it('returns what the target said, naming join, as a 400 QUERY_REJECTED', async () => {
    const { status, body } = await query('GamePlay | join X on Y');
    expect(status).toBe(400);
    expect(body.error.code).toBe('QUERY_REJECTED');
    expect(body.error.message).toMatch(/join/);
  });

  it('does not let a management command through', async () => {
    const { status, body } = await query('.drop table GamePlay');
    expect(status).toBe(400);
    expect(body.error.code).toBe('QUERY_REJECTED');
    expect(await kustoCount(engine.url, 'gamesdb', 'GamePlay')).toBe(4);
  });

  it('refuses .drop table, .set-or-append, .ingest and another database, naming why; nothing changes', async () => {
    const refusals = {
      '.drop table GamePlay': /not a read-only command/,
      '.set-or-append GamePlay <| GamePlay | take 1': /not a read-only command/,
      ".ingest into table GamePlay ('https://example.blob.core.windows.net/c/x.json')": /not a read-only command/,
      'database("otherdb").OtherTable | take 5': /database\(\) reads another cluster or database/,
      'union GamePlay, cluster("https://help.kusto.windows.net").database("Samples").StormEvents': /cluster\(\) reads another cluster/,
      '.show database otherdb schema': /names the database "otherdb"/,
      'set query_take_max_records=1000000; GamePlay': /set statements are not allowed/,
    };
    for (const [csl, reason] of Object.entries(refusals)) {
      const { status, body } = await query(csl);
      expect({ csl, status, code: body.error?.code }).toEqual({ csl, status: 400, code: 'QUERY_REJECTED' });
      expect(body.error.message).toMatch(reason);
    }
    expect(await kustoCount(engine.url, 'gamesdb', 'GamePlay')).toBe(4);
  });

  it('runs the read-only .show commands the ADX web UI runs: tables, a schema, the mappings', async () => {
    const tables = await query('.show tables');
    expect(tables.status).toBe(200);
    expect(tables.body.rows.map((row: unknown[]) => row[0])).toContain('GamePlay');
    const schema = await query('.show table GamePlay schema as json');
    expect(schema.status).toBe(200);
    const mappings = await query('.show table GamePlay ingestion json mappings');
    expect(mappings.status).toBe(200);
    expect(JSON.stringify(mappings.body.rows)).toContain('gameplay_json_mapping');
    // A column named like a keyword inside a string is not a command or a cross-database call.
    expect((await query("GamePlay | where tostring(GameID) != 'database(\\'x\\')' | count")).status).toBe(200);
  });

  it('the engine honours request_readonly as ADX does: a .drop sent read-only is refused', async () => {
    const client = new KustoClient(engine.url);
    const properties = new ClientRequestProperties();
    properties.setOption('request_readonly', true);
    try {
      await expect(client.executeMgmt('gamesdb', '.drop table GamePlay', properties)).rejects.toMatchObject({ response: { status: 400 } });
      expect(await kustoCount(engine.url, 'gamesdb', 'GamePlay')).toBe(4);
    } finally {
      client.close();
    }
  });

  it('caps the answer at 1,000 rows and says it was truncated', async () => {
    const bulkTopic = uniqueName('bulk');
    await createTopic(bulkTopic, 1);
    const bulk = await createConnector(
      database.db,
      gameplayConnectorDefinition(ids, { name: 'bulk', source: { topics: [bulkTopic], startFrom: 'earliest' }, target: { ...gameplayConnectorDefinition(ids).target!, table: 'BulkTarget' } }),
      'test',
    );
    await produce(bulkTopic, Array.from({ length: 1_005 }, (_, i) => toKafkaMessage({ ...REFERENCE_EVENTS[0], playerId: i })));
    await waitFor(async () => expect(await kustoCount(engine.url, 'gamesdb', 'BulkTarget')).toBe(1_005));
    const { status, body } = await query('BulkTarget | project PlayerID', bulk.id);
    expect(status).toBe(200);
    expect(body).toMatchObject({ rowCount: 1_000, truncated: true });
    expect(body.rows).toHaveLength(1_000);
    expect((await query('BulkTarget | count', bulk.id)).body.rows).toEqual([[1_005]]);
  });

  it('refuses an empty query with a 422', async () => {
    const { status, body } = await query('   ');
    expect(status).toBe(422);
    expect(body.error.issues[0].field).toBe('csl');
  });
});

describe('target rejections', () => {
  it('fail the connector with a target-rejected error naming the batch; re-apply and restart recover it', async () => {
    const client = new KustoClient(engine.url);
    try {
      await client.executeMgmt('gamesdb', `.drop table GamePlay ingestion json mapping 'gameplay_json_mapping'`);
    } finally {
      client.close();
    }
    await produce(topic, [{ ...toKafkaMessage({ ...REFERENCE_EVENTS[0], playerId: 900 }), partition: 2 }]);
    await waitFor(async () => expect((await getConnector(database.db, connectorId)).actualState).toBe('FAILED'));
    const body = await waitFor(async () => {
      const current = (await readJson(await errorsRoute.GET(jsonRequest('GET', `/api/connectors/${connectorId}/errors`), params(connectorId)))).body;
      expect(current.countsByKind).toEqual({ 'target-rejected': 1 });
      return current;
    });
    expect(body.errors[0]).toMatchObject({ kind: 'target-rejected', topic, partition: 2, message: expect.stringMatching(/rejected: .*gameplay_json_mapping/) });
    expect(JSON.parse(Buffer.from(body.errors[0].preview, 'base64').toString())).toMatchObject({ playerId: 900 });

    expect((await reapply()).body.results.every((result: { ok: boolean }) => result.ok)).toBe(true);
    await applyLifecycleAction(database.db, connectorId, 'restart', 'test');
    await waitFor(async () => expect(await kustoCount(engine.url, 'gamesdb', 'GamePlay')).toBe(5));
    await waitFor(async () => expect((await getConnector(database.db, connectorId)).actualState).toBe('RUNNING'));
  });
});

describe('target outages', () => {
  it('are recorded as aggregated target-retry errors with the batch position, and ingestion resumes after', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'kastor-outage-'));
    let outageEngine = await startKustoEngine({ dataDir, port: 0 });
    const { port } = outageEngine;
    try {
      const kusto = await createKustoConnection(database.db, { name: 'outage-kusto', clusterUrl: outageEngine.url }, secretKey());
      const outageTopic = uniqueName('outage');
      await createTopic(outageTopic, 1);
      const connector = await createConnector(
        database.db,
        gameplayConnectorDefinition(
          { ...ids, kustoConnectionId: kusto.id },
          { name: 'outage', source: { topics: [outageTopic], startFrom: 'earliest' }, target: { ...gameplayConnectorDefinition(ids).target!, table: 'OutageTarget' } },
        ),
        'test',
      );
      await produce(outageTopic, [toKafkaMessage(REFERENCE_EVENTS[0])]);
      await waitFor(async () => expect(await kustoCount(outageEngine.url, 'gamesdb', 'OutageTarget')).toBe(1));

      await outageEngine.close();
      await produce(outageTopic, [toKafkaMessage({ ...REFERENCE_EVENTS[1], playerId: 777 })]);
      const errorsOf = async () => readJson(await errorsRoute.GET(jsonRequest('GET', `/api/connectors/${connector.id}/errors`), params(connector.id)));
      const retried = await waitFor(async () => {
        const { body } = await errorsOf();
        expect(body.countsByKind['target-retry']).toBeGreaterThanOrEqual(1);
        return body.errors.find((error: { kind: string }) => error.kind === 'target-retry');
      });
      expect(retried).toMatchObject({ topic: outageTopic, partition: 0, offset: 1, message: expect.stringMatching(/^Write retried/) });
      expect(JSON.parse(Buffer.from(retried.preview, 'base64').toString())).toMatchObject({ playerId: 777 });
      const whileDown = await getTarget(connector.id);
      expect(whileDown.body).toMatchObject({ targetRowCount: null, rowComparison: { state: 'unavailable' }, error: expect.any(String), rowsWritten: 1 });

      outageEngine = await startKustoEngine({ dataDir, port });
      await waitFor(async () => expect(await kustoCount(outageEngine.url, 'gamesdb', 'OutageTarget')).toBe(2));
      expect((await getConnector(database.db, connector.id)).actualState).toBe('RUNNING');
    } finally {
      await outageEngine.close().catch(() => undefined);
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
