import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyLifecycleAction } from '../../lib/connectors/lifecycle';
import { getConnector, listConnectorErrors } from '../../lib/connectors/read-connectors';
import { resetConnectorOffsets } from '../../lib/connectors/reset-offsets';
import { createConnector } from '../../lib/connectors/save-connector';
import { gameplayConnectorDefinition, REFERENCE_EVENTS, toKafkaMessage } from '../../lib/demo/gameplay';
import { readPartitionMessages } from '../../lib/kafka/read-partition-messages';
import { createTopic, kustoCount, produce, secretKey, startPipelineWorld, testKafka, uniqueName, waitFor, type PipelineWorld } from '../support/harness';

/**
 * Records the target refuses on their own follow the error policy, wherever they fail: the
 * batch is narrowed to them, they are skipped or dead-lettered with their original bytes, and
 * every valid record around them lands while the connector keeps running.
 */
let world: PipelineWorld;

beforeAll(async () => {
  world = await startPipelineWorld();
});

afterAll(async () => {
  await world?.close();
});

/** Valid JSON that passes the worker's decoder, nested deeper than the target accepts (512 levels). */
const TOO_DEEP = `{"playerId":1,"deep":${'['.repeat(10_000)}${']'.repeat(10_000)}}`;

function valid(index: number) {
  return toKafkaMessage({ ...REFERENCE_EVENTS[index % 4], playerId: 1000 + index });
}

async function connectorFor(topic: string, database: string, errorPolicy: { onDecodeError: 'skip' | 'dlq' | 'fail'; dlqTopic?: string }, flush = { maxRecords: 50, maxBytes: 1024 * 1024, maxAgeMs: 300 }) {
  return createConnector(
    world.database.db,
    gameplayConnectorDefinition(world.ids, {
      name: uniqueName('poison').replace(/_/g, '-'),
      source: { topics: [topic], startFrom: 'earliest' },
      target: { ...gameplayConnectorDefinition(world.ids).target, database },
      ingestion: { mode: 'streaming' },
      flush,
      errorPolicy,
    }),
    'test',
  );
}

describe('a record the target refuses', () => {
  it('is skipped with policy skip: the batch is narrowed to it, every valid record lands, the connector keeps running', async () => {
    const topic = uniqueName('poison');
    const database = uniqueName('poisondb');
    await createTopic(topic, 1);
    const connector = await connectorFor(topic, database, { onDecodeError: 'skip' });
    await produce(topic, [...Array.from({ length: 10 }, (_, i) => valid(i)), { key: 'deep', value: TOO_DEEP }, ...Array.from({ length: 9 }, (_, i) => valid(10 + i))]);

    await waitFor(async () => expect(await kustoCount(world.engine.url, database, 'GamePlay')).toBe(19), { timeoutMs: 30_000 });
    const errors = await waitFor(async () => {
      const found = (await listConnectorErrors(world.database.db, connector.id)).filter((error) => error.kind === 'target-rejected');
      expect(found).toHaveLength(1);
      return found;
    });
    expect(errors[0].offset).toBe(10);
    expect(errors[0].message).toMatch(/nesting deeper than 512/);
    const view = await waitFor(async () => {
      const current = await getConnector(world.database.db, connector.id);
      expect(current.recordsSkipped).toBe(1);
      return current;
    });
    expect(view.actualState).toBe('RUNNING');
    await waitFor(async () => expect((await getConnector(world.database.db, connector.id)).totalLag).toBe(0));
  });

  it('counts a skipped record once, however often it is read again, and lists it once', async () => {
    const topic = uniqueName('poison');
    const database = uniqueName('poisondb');
    await createTopic(topic, 1);
    const connector = await connectorFor(topic, database, { onDecodeError: 'skip' });
    await produce(topic, [...Array.from({ length: 10 }, (_, i) => valid(i)), ...Array.from({ length: 5 }, (_, i) => ({ key: `bad-${i}`, value: `not json ${i}` }))]);
    await waitFor(async () => expect((await getConnector(world.database.db, connector.id)).recordsSkipped).toBe(5), { timeoutMs: 30_000 });
    await waitFor(async () => expect((await getConnector(world.database.db, connector.id)).totalLag).toBe(0));

    // Read the whole topic again, as a restart after a crash before the commit would.
    const seen = await world.database.db.connectorError.findMany({ where: { connectorId: connector.id, kind: 'decode' }, select: { at: true } });
    await applyLifecycleAction(world.database.db, connector.id, 'stop', 'test');
    await waitFor(async () => expect((await getConnector(world.database.db, connector.id)).actualState).toBe('STOPPED'));
    await resetConnectorOffsets(world.database.db, connector.id, { to: 'earliest' }, 'test', secretKey());
    await applyLifecycleAction(world.database.db, connector.id, 'start', 'test');
    await waitFor(async () => expect(await kustoCount(world.engine.url, database, 'GamePlay')).toBe(20), { timeoutMs: 30_000 });
    // The replay shows as the same rows seen again (their time moves), not as new ones.
    await waitFor(async () => {
      const again = await world.database.db.connectorError.findMany({ where: { connectorId: connector.id, kind: 'decode' }, select: { at: true } });
      expect(Math.min(...again.map((error) => error.at.getTime()))).toBeGreaterThan(Math.max(...seen.map((error) => error.at.getTime())));
    });
    expect((await getConnector(world.database.db, connector.id)).recordsSkipped).toBe(5);
    const errors = (await listConnectorErrors(world.database.db, connector.id)).filter((error) => error.kind === 'decode');
    expect(errors.map((error) => error.offset).sort((a, b) => a! - b!)).toEqual([10, 11, 12, 13, 14]);
  });

  it('is dead-lettered with its original bytes and the reason with policy dlq', async () => {
    const topic = uniqueName('poison');
    const dlqTopic = `${topic}-dlq`;
    const database = uniqueName('poisondb');
    await createTopic(topic, 1);
    await createTopic(dlqTopic, 1);
    const connector = await connectorFor(topic, database, { onDecodeError: 'dlq', dlqTopic });
    await produce(topic, [valid(0), valid(1), { key: 'deep', value: TOO_DEEP }, valid(2)]);

    await waitFor(async () => expect(await kustoCount(world.engine.url, database, 'GamePlay')).toBe(3), { timeoutMs: 30_000 });
    const [dead] = await waitFor(async () => {
      const messages = await readPartitionMessages(testKafka(), { topic: dlqTopic, partition: 0, fromOffset: 0, maxMessages: 10 });
      expect(messages).toHaveLength(1);
      return messages;
    });
    expect(dead.key).toBe('deep');
    expect(dead.value).toBe(TOO_DEEP);
    expect(dead.headers['kastor.source.offset']).toBe('2');
    expect(dead.headers['kastor.error.reason']).toMatch(/nesting deeper than 512/);
    expect((await getConnector(world.database.db, connector.id)).actualState).toBe('RUNNING');
  });

  it('stops the connector naming the record with policy fail, after landing what came before it', async () => {
    const topic = uniqueName('poison');
    const database = uniqueName('poisondb');
    await createTopic(topic, 1);
    const connector = await connectorFor(topic, database, { onDecodeError: 'fail' });
    await produce(topic, [valid(0), valid(1), valid(2), { key: 'deep', value: TOO_DEEP }, valid(3)]);

    const failed = await waitFor(async () => {
      const view = await getConnector(world.database.db, connector.id);
      expect(view.actualState).toBe('FAILED');
      return view;
    }, { timeoutMs: 30_000 });
    expect(failed.lastError).toContain(`${topic}/0@3`);
    expect(failed.failedRecord).toEqual({ topic, partition: 0, offset: 3 });
    expect(await kustoCount(world.engine.url, database, 'GamePlay')).toBe(3);

    // "Skip this record and restart": exactly that record is skipped, everything after it lands.
    await applyLifecycleAction(world.database.db, connector.id, 'skip-and-restart', 'test');
    await waitFor(async () => expect(await kustoCount(world.engine.url, database, 'GamePlay')).toBe(4), { timeoutMs: 30_000 });
    const running = await waitFor(async () => {
      const view = await getConnector(world.database.db, connector.id);
      expect(view.actualState).toBe('RUNNING');
      expect(view.recordsSkipped).toBe(1);
      return view;
    });
    expect(running.failedRecord).toBeNull();
    const skipped = (await listConnectorErrors(world.database.db, connector.id)).filter((error) => error.kind === 'skipped-by-operator');
    expect(skipped.map((error) => error.offset)).toEqual([3]);
    const audit = await world.database.db.auditEvent.findFirstOrThrow({ where: { connectorId: connector.id, action: 'skip-and-restart' } });
    expect(audit.detail).toMatchObject({ skipped: { topic, partition: 0, offset: 3 } });
  });

  it('offers no record to skip when the connector did not fail on one', async () => {
    const topic = uniqueName('poison');
    await createTopic(topic, 1);
    const connector = await connectorFor(topic, uniqueName('poisondb'), { onDecodeError: 'fail' });
    await waitFor(async () => expect((await getConnector(world.database.db, connector.id)).actualState).toBe('RUNNING'));
    await expect(applyLifecycleAction(world.database.db, connector.id, 'skip-and-restart', 'test')).rejects.toThrow(/did not fail on a record/);
  });

  it('never makes a streaming request over 4 MB: 900 KB records at the largest flush all land', async () => {
    const topic = uniqueName('large');
    const database = uniqueName('largedb');
    await createTopic(topic, 1);
    const connector = await connectorFor(topic, database, { onDecodeError: 'skip' }, { maxRecords: 1000, maxBytes: 4 * 1024 * 1024, maxAgeMs: 500 });
    const padding = 'x'.repeat(900 * 1024);
    // One send each: a record batch over the broker's 1 MB message.max.bytes would be refused.
    for (let i = 0; i < 10; i++) await produce(topic, [{ key: String(i), value: JSON.stringify({ ...REFERENCE_EVENTS[0], playerId: i, padding }) }]);

    await waitFor(async () => expect(await kustoCount(world.engine.url, database, 'GamePlay')).toBe(10), { timeoutMs: 30_000 });
    expect((await listConnectorErrors(world.database.db, connector.id)).filter((error) => error.kind !== 'target-retry')).toEqual([]);
    expect((await getConnector(world.database.db, connector.id)).actualState).toBe('RUNNING');
  });
});
