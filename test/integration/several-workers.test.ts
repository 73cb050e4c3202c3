import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumerGroupId } from '../../lib/connectors/connector-definition';
import { applyLifecycleAction } from '../../lib/connectors/lifecycle';
import { getConnector } from '../../lib/connectors/read-connectors';
import { createConnector, updateConnector } from '../../lib/connectors/save-connector';
import { gameplayConnectorDefinition, REFERENCE_EVENTS } from '../../lib/demo/gameplay';
import { listWorkers } from '../../lib/workers/read-workers';
import type { Supervisor } from '../../worker/supervisor';
import {
  createTestDatabase,
  createTopic,
  kustoCommandsLike,
  kustoCount,
  produce,
  seedConnections,
  startSupervisor,
  startTestEngine,
  testKafka,
  uniqueName,
  waitFor,
  type TestDatabase,
  type TestEngine,
} from '../support/harness';

/**
 * Three workers on one connector: Kafka's consumer group spreads the partitions; what must happen
 * once per connector (lag and samples, applying the KQL, deleting the group) happens once.
 */
let database: TestDatabase;
let engine: TestEngine;
const supervisors: Supervisor[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  engine = await startTestEngine();
});

afterAll(async () => {
  await Promise.all(supervisors.map((supervisor) => supervisor.stop()));
  await engine?.close();
  await database?.drop();
});

async function commandsLike(dbName: string, text: string): Promise<number> {
  return (await kustoCommandsLike(engine.url, dbName, text)).length;
}

describe('three workers on one connector with 12 partitions', () => {
  it('spread the partitions, write one sample per cycle, apply each revision once, and delete the group after all left', async () => {
    const ids = await seedConnections(database.db, engine.url);
    const topic = uniqueName('spread');
    const dbName = uniqueName('spreaddb');
    await createTopic(topic, 12);
    const definition = gameplayConnectorDefinition(ids, {
      name: 'three-workers',
      source: { topics: [topic], startFrom: 'earliest' },
      target: { ...gameplayConnectorDefinition(ids).target, database: dbName },
    });
    const connector = await createConnector(database.db, definition, 'test');
    for (const id of ['w1', 'w2', 'w3']) {
      const supervisor = startSupervisor(database, id);
      supervisors.push(supervisor);
      await supervisor.start();
    }
    const events = Array.from({ length: 1_200 }, (_, i) => ({ partition: i % 12, key: String(i), value: JSON.stringify({ ...REFERENCE_EVENTS[i % 4], playerId: i }) }));
    await produce(topic, events);
    await waitFor(async () => expect(await kustoCount(engine.url, dbName, 'GamePlay')).toBe(1_200), { timeoutMs: 60_000 });

    // Kafka assigned the partitions: every worker holds some, together all 12, none twice.
    const workers = await waitFor(async () => {
      const current = await listWorkers(database.db);
      const held = current.flatMap((worker) => worker.shares.flatMap((share) => share.partitions.map((p) => `${worker.id}:${p.partition}`)));
      expect(current.map((worker) => worker.id).sort()).toEqual(['w1', 'w2', 'w3']);
      expect(current.every((worker) => worker.live && worker.shares[0]?.partitions.length > 0)).toBe(true);
      expect(new Set(held.map((entry) => entry.split(':')[1])).size).toBe(12);
      expect(held).toHaveLength(12);
      return current;
    }, { timeoutMs: 30_000 });
    const view = await waitFor(async () => {
      const current = await getConnector(database.db, connector.id);
      expect(current.partitions.filter((partition) => partition.workerId !== null)).toHaveLength(12);
      return current;
    });
    for (const partition of view.partitions) {
      const holder = workers.find((worker) => worker.shares[0].partitions.some((p) => p.partition === partition.partition));
      expect(partition.workerId).toBe(holder?.id);
    }
    expect(view.actualState).toBe('RUNNING');

    // One sample per metrics cycle (500 ms), not one per worker.
    const from = new Date();
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    const samples = await database.db.metricSample.count({ where: { connectorId: connector.id, at: { gte: from, lt: new Date() } } });
    expect(samples).toBeGreaterThanOrEqual(5);
    expect(samples).toBeLessThanOrEqual(12);

    // One KQL application and one audit entry per revision, whichever worker got there.
    expect(await database.db.auditEvent.count({ where: { connectorId: connector.id, action: 'apply-target' } })).toBe(1);
    expect(await commandsLike(dbName, '.create-merge table')).toBe(1);
    await updateConnector(
      database.db,
      connector.id,
      { ...definition, ingestion: { mode: 'streaming', batching: { maxBatchingTimeSpan: '00:00:20', maxItems: 5, maxRawDataSizeMb: 100 } } },
      'test',
      1,
    );
    await waitFor(async () => expect((await getConnector(database.db, connector.id)).appliedRevision).toBe(2), { timeoutMs: 30_000 });
    await waitFor(async () => expect((await getConnector(database.db, connector.id)).actualState).toBe('RUNNING'), { timeoutMs: 30_000 });
    expect(await database.db.auditEvent.count({ where: { connectorId: connector.id, action: 'apply-target' } })).toBe(2);
    expect(await commandsLike(dbName, '.create-merge table')).toBe(2);

    // Delete: every worker leaves the group; it is removed once empty, then the connector's rows.
    await applyLifecycleAction(database.db, connector.id, 'delete', 'test');
    await waitFor(async () => expect(await database.db.connector.count({ where: { id: connector.id } })).toBe(0), { timeoutMs: 60_000 });
    const admin = testKafka().admin();
    await admin.connect();
    try {
      const { groups } = await admin.listGroups();
      expect(groups.map((group) => group.groupId)).not.toContain(consumerGroupId(connector.id));
    } finally {
      await admin.disconnect();
    }
  });
});
