import { Client as KustoClient } from 'azure-kusto-data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumerGroupId } from '../../lib/connectors/connector-definition';
import { applyLifecycleAction } from '../../lib/connectors/lifecycle';
import { getConnector, listConnectorErrors } from '../../lib/connectors/read-connectors';
import { createConnector } from '../../lib/connectors/save-connector';
import { gameplayConnectorDefinition, REFERENCE_EVENTS, toKafkaMessage } from '../../lib/demo/gameplay';
import type { Supervisor } from '../../worker/supervisor';
import {
  createTopic,
  kustoCount,
  produce,
  testKafka,
  uniqueName,
  waitFor,
  type TestDatabase,
  type TestEngine,
  startPipelineWorld,
  type PipelineWorld,
} from '../support/harness';

let world: PipelineWorld;
let database: TestDatabase;
let engine: TestEngine;
let supervisor: Supervisor;
let ids: { kafkaConnectionId: string; kustoConnectionId: string };

beforeAll(async () => {
  world = await startPipelineWorld();
  ({ database, engine, ids, supervisor } = world);
});

afterAll(async () => {
  await world?.close();
});

describe('the reference gameplay scenario', () => {
  let connectorId: string;

  it('lands the four events in GamePlay with the right types, lag 0 on all 4 partitions', async () => {
    const topic = uniqueName('gameplay');
    await createTopic(topic, 4);
    const connector = await createConnector(database.db, gameplayConnectorDefinition(ids, { source: { topics: [topic] } }), 'test');
    connectorId = connector.id;
    await produce(topic, REFERENCE_EVENTS.map(toKafkaMessage));

    await waitFor(async () => expect(await kustoCount(engine.url, 'gamesdb', 'GamePlay')).toBe(4));

    const client = new KustoClient(engine.url);
    const result = await client.execute('gamesdb', 'GamePlay | order by PlayerID asc');
    client.close();
    const table = result.primaryResults[0];
    expect(table.columns.map((column) => `${column.name}:${column.type}`)).toEqual([
      'PlayerID:int',
      'GameID:int',
      'Win:long',
      'Score:int',
      'EventTime:datetime',
    ]);
    const rows = table.toJSON<{ PlayerID: number; GameID: number; Win: number; Score: number; EventTime: Date }>().data;
    expect(rows.map((row) => row.PlayerID)).toEqual([33, 34, 38, 45]);
    expect(rows[0]).toMatchObject({ GameID: 23, Win: 55, Score: 123 });
    expect(rows[0].EventTime).toBeInstanceOf(Date);
    expect(rows[0].EventTime.toISOString()).toBe('2021-10-24T04:14:39.572Z');

    const view = await waitFor(async () => {
      const current = await getConnector(database.db, connectorId);
      expect(current.partitions).toHaveLength(4);
      expect(current.partitions.every((partition) => partition.lag === 0)).toBe(true);
      expect(current.rowsWritten).toBe(4);
      return current;
    });
    expect(view.actualState).toBe('RUNNING');
    expect(view.appliedRevision).toBe(1);
    expect(view.totalLag).toBe(0);
    expect(view.partitions.reduce((sum, partition) => sum + partition.rowsWritten, 0)).toBe(4);
  });

  it('pausing stops writes while lag grows; resuming drains it', async () => {
    const { definition } = await getConnector(database.db, connectorId);
    const topic = definition.source.topics[0];
    await applyLifecycleAction(database.db, connectorId, 'pause', 'test');
    await waitFor(async () => expect((await getConnector(database.db, connectorId)).actualState).toBe('PAUSED'));

    await produce(topic, Array.from({ length: 100 }, (_, i) => toKafkaMessage({ ...REFERENCE_EVENTS[i % 4], playerId: 1000 + i })));
    const producedAt = Date.now();
    await waitFor(async () => expect((await getConnector(database.db, connectorId)).totalLag).toBe(100), { timeoutMs: 2_000, intervalMs: 100 });
    console.log(`lag 100 visible ${Date.now() - producedAt} ms after producing`);
    // Long enough for any write that paused consumption failed to stop to have landed.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await kustoCount(engine.url, 'gamesdb', 'GamePlay')).toBe(4);

    await applyLifecycleAction(database.db, connectorId, 'resume', 'test');
    await waitFor(async () => expect(await kustoCount(engine.url, 'gamesdb', 'GamePlay')).toBe(104));
    await waitFor(async () => {
      const view = await getConnector(database.db, connectorId);
      expect(view.actualState).toBe('RUNNING');
      expect(view.totalLag).toBe(0);
      expect(view.rowsWritten).toBe(104);
    });
  });
});

describe('batches and the end of the log', () => {
  it('a backlog lands without waiting for the batch\'s max age; a partition that keeps up waits for it', async () => {
    const topic = uniqueName('backlog');
    await createTopic(topic, 1);
    // ~3 MB: more than one fetch brings, less than one batch holds, so neither size nor count closes it.
    const padding = 'x'.repeat(700);
    const backlog = Array.from({ length: 4_000 }, (_, i) => ({ key: String(i), value: JSON.stringify({ ...REFERENCE_EVENTS[i % 4], playerId: i, padding }) }));
    await produce(topic, backlog);
    await createConnector(
      database.db,
      gameplayConnectorDefinition(ids, {
        name: 'backlog',
        source: { topics: [topic], startFrom: 'earliest' },
        target: { ...gameplayConnectorDefinition(ids).target, table: 'GamePlayBacklog', mappingName: 'gameplay_backlog_json' },
        flush: { maxRecords: 100_000, maxBytes: 4 * 1024 * 1024, maxAgeMs: 10 * 60_000 },
      }),
      'test',
    );
    // Ten minutes of max age: only reaching the end of the log after the backlog closes the batch.
    await waitFor(async () => expect(await kustoCount(engine.url, 'gamesdb', 'GamePlayBacklog')).toBe(4_000), { timeoutMs: 60_000, intervalMs: 250 });

    // Caught up, a record reaches the end of the log at every fetch: the batch waits for its age.
    await produce(topic, REFERENCE_EVENTS.map(toKafkaMessage));
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(await kustoCount(engine.url, 'gamesdb', 'GamePlayBacklog')).toBe(4_000);
  });
});

describe('records that are not JSON', () => {
  it('are skipped, recorded with partition, offset and bytes, and ingestion goes on (policy skip)', async () => {
    const topic = uniqueName('skip');
    await createTopic(topic, 1);
    const connector = await createConnector(
      database.db,
      gameplayConnectorDefinition(ids, { name: 'skip-bad', source: { topics: [topic] }, target: { ...gameplayConnectorDefinition(ids).target!, table: 'SkipTarget' }, errorPolicy: { onDecodeError: 'skip' } }),
      'test',
    );
    await produce(topic, [toKafkaMessage(REFERENCE_EVENTS[0]), { key: 'x', value: 'this is not json' }, toKafkaMessage(REFERENCE_EVENTS[1])]);
    await waitFor(async () => expect(await kustoCount(engine.url, 'gamesdb', 'SkipTarget')).toBe(2));
    const view = await waitFor(async () => {
      const current = await getConnector(database.db, connector.id);
      expect(current.recordsSkipped).toBe(1);
      expect(current.totalLag).toBe(0);
      return current;
    });
    expect(view.actualState).toBe('RUNNING');
    const [error] = await listConnectorErrors(database.db, connector.id);
    expect(error).toMatchObject({ kind: 'decode', topic, partition: 0, offset: 1 });
    expect(Buffer.from(error.preview!, 'base64').toString()).toBe('this is not json');
  });

  it('stop the connector with the reason when the policy is fail, after writing what came before', async () => {
    const topic = uniqueName('fail');
    await createTopic(topic, 1);
    const connector = await createConnector(
      database.db,
      gameplayConnectorDefinition(ids, { name: 'fail-bad', source: { topics: [topic] }, target: { ...gameplayConnectorDefinition(ids).target!, table: 'FailTarget' }, errorPolicy: { onDecodeError: 'fail' } }),
      'test',
    );
    await produce(topic, [toKafkaMessage(REFERENCE_EVENTS[0]), { key: 'x', value: '{broken' }, toKafkaMessage(REFERENCE_EVENTS[1])]);
    const view = await waitFor(async () => {
      const current = await getConnector(database.db, connector.id);
      expect(current.actualState).toBe('FAILED');
      expect(current.partitions[0]?.committedOffset).toBe(1);
      return current;
    });
    expect(view.lastError).toMatch(new RegExp(`Record ${topic}/0@1 could not be decoded .*not valid JSON`));
    expect(view.totalLag).toBe(2);
    expect(await kustoCount(engine.url, 'gamesdb', 'FailTarget')).toBe(1);
  });
});

describe('deleting a connector', () => {
  it('stops its pipeline, removes its consumer group and its rows in the control plane, and keeps the audit trail', async () => {
    const topic = uniqueName('delete');
    await createTopic(topic, 2);
    const connector = await createConnector(
      database.db,
      gameplayConnectorDefinition(ids, { name: 'to-delete', source: { topics: [topic] }, target: { ...gameplayConnectorDefinition(ids).target!, table: 'DeleteTarget' } }),
      'test',
    );
    await produce(topic, [toKafkaMessage(REFERENCE_EVENTS[0])]);
    await waitFor(async () => expect(await kustoCount(engine.url, 'gamesdb', 'DeleteTarget')).toBe(1));
    const admin = testKafka().admin();
    await admin.connect();
    try {
      expect((await admin.listGroups()).groups.map((group) => group.groupId)).toContain(consumerGroupId(connector.id));
      await applyLifecycleAction(database.db, connector.id, 'delete', 'test');
      await waitFor(async () => expect(await database.db.connector.findUnique({ where: { id: connector.id } })).toBeNull());
      await expect(getConnector(database.db, connector.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect((await admin.listGroups()).groups.map((group) => group.groupId)).not.toContain(consumerGroupId(connector.id));
    } finally {
      await admin.disconnect();
    }
    const audit = await database.db.auditEvent.findMany({ where: { action: 'delete', detail: { path: ['to'], equals: 'DELETED' } } });
    expect(audit).toHaveLength(1);
    expect(audit[0].connectorId).toBeNull();
    expect(await kustoCount(engine.url, 'gamesdb', 'DeleteTarget')).toBe(1);
  });
});
