import { Client as KustoClient } from 'azure-kusto-data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKustoConnection } from '../../lib/connections/save-connections';
import { getConnector, listConnectorErrors } from '../../lib/connectors/read-connectors';
import { getConnectorIngestion } from '../../lib/connectors/read-ingestion';
import { createConnector } from '../../lib/connectors/save-connector';
import { gameplayConnectorDefinition, REFERENCE_EVENTS, toKafkaMessage } from '../../lib/demo/gameplay';
import { importKafkaConnect } from '../../lib/import/import-kafka-connect';
import { createMergeTableCommand, createOrAlterJsonMappingCommand } from '../../lib/kql/target-commands';
import { GAMEPLAY_CONNECT_CONFIG } from '../support/gameplay-connect-config';
import { createTopic, kustoCount, produce, secretKey, startPipelineWorld, uniqueName, waitFor, type PipelineWorld } from '../support/harness';

/**
 * Queued ingestion end to end: the worker uploads gzip blobs to Azurite and posts them to the
 * ingestion queue through azure-kusto-ingest; the local engine, playing ADX's Data Management
 * service, seals batches by the table's batching policy and reports each blob's outcome.
 */
let world: PipelineWorld;

beforeAll(async () => {
  world = await startPipelineWorld();
});

afterAll(async () => {
  await world?.close();
});

async function mgmt(database: string, csl: string): Promise<Record<string, unknown>[]> {
  const client = new KustoClient(world.engine.url);
  try {
    return (await client.executeMgmt(database, csl)).primaryResults[0].toJSON<Record<string, unknown>>().data;
  } finally {
    client.close();
  }
}

const REFERENCE_BATCHING = { maxBatchingTimeSpan: '00:00:10', maxItems: 5, maxRawDataSizeMb: 100 };

describe('the scenario imported from its Kafka Connect config', () => {
  it('runs queued with the reference batching policy: pending, then landed no earlier than the policy allows', async () => {
    const topic = uniqueName('gameplay');
    const database = uniqueName('gamesdb');
    await createTopic(topic, 4);
    const imported = importKafkaConnect({ config: GAMEPLAY_CONNECT_CONFIG, ...world.ids });
    const [draft] = imported.connectors;
    expect(draft.ingestion).toEqual({ mode: 'queued' });
    expect(draft.flush?.maxAgeMs).toBe(30_000);
    const connector = await createConnector(
      world.database.db,
      {
        ...gameplayConnectorDefinition(world.ids),
        ...draft,
        name: uniqueName('imported').replace(/_/g, '-'),
        source: { topics: [topic], startFrom: 'earliest' },
        target: { ...gameplayConnectorDefinition(world.ids).target, database },
        ingestion: { ...draft.ingestion, batching: REFERENCE_BATCHING },
      },
      'test',
    );
    await waitFor(async () => expect((await getConnector(world.database.db, connector.id)).actualState).toBe('RUNNING'));

    const producedAt = Date.now();
    await produce(topic, REFERENCE_EVENTS.map(toKafkaMessage));

    // The worker holds the records for the imported 30 s flush interval, then queues one blob per partition.
    const pending = await waitFor(
      async () => {
        const view = await getConnectorIngestion(world.database.db, connector.id);
        expect(view.pending.rows + view.landed.rows).toBe(4);
        return view;
      },
      { timeoutMs: 45_000, intervalMs: 100 },
    );
    const queuedAt = Math.min(...pending.recent.map((batch) => Date.parse(batch.queuedAt)));
    expect(pending.pending.rows).toBe(4);
    expect(await kustoCount(world.engine.url, database, 'GamePlay')).toBe(0);

    await waitFor(async () => expect(await kustoCount(world.engine.url, database, 'GamePlay')).toBe(4), { timeoutMs: 20_000, intervalMs: 100 });
    const landedAt = Date.now();
    // Four blobs are fewer than MaximumNumberOfItems (5): only the 10 s time span seals the batch.
    expect(landedAt - queuedAt).toBeGreaterThanOrEqual(10_000);
    expect(landedAt - producedAt).toBeLessThanOrEqual(30_000 + 10_000 + 5_000);

    const landed = await waitFor(async () => {
      const view = await getConnectorIngestion(world.database.db, connector.id);
      expect(view.landed.rows).toBe(4);
      return view;
    });
    expect(landed.pending.rows).toBe(0);
    expect(landed.lastPath).toBe('queued');
    const rows = await mgmt(database, '.show table GamePlay policy streamingingestion');
    expect(rows.length === 0 || JSON.parse(String(rows[0].Policy ?? 'null'))?.IsEnabled !== true).toBe(true);
  });

  it('seals a batch on the item count before the time span when 5 blobs are queued at once', async () => {
    const topic = uniqueName('gameplay');
    const database = uniqueName('gamesdb');
    await createTopic(topic, 1);
    const connector = await createConnector(
      world.database.db,
      gameplayConnectorDefinition(world.ids, {
        name: uniqueName('count').replace(/_/g, '-'),
        source: { topics: [topic], startFrom: 'earliest' },
        target: { ...gameplayConnectorDefinition(world.ids).target, database },
        ingestion: { mode: 'queued', batching: REFERENCE_BATCHING },
        // One record per blob: five records make five blobs, MaximumNumberOfItems of the policy.
        flush: { maxRecords: 1, maxBytes: 1024 * 1024, maxAgeMs: 500 },
      }),
      'test',
    );
    await waitFor(async () => expect((await getConnector(world.database.db, connector.id)).actualState).toBe('RUNNING'));
    await produce(topic, [...REFERENCE_EVENTS, REFERENCE_EVENTS[0]].map(toKafkaMessage));
    const firstQueued = await waitFor(async () => {
      const view = await getConnectorIngestion(world.database.db, connector.id);
      expect(view.recent.length).toBeGreaterThan(0);
      return Math.min(...view.recent.map((batch) => Date.parse(batch.queuedAt)));
    });
    await waitFor(async () => expect(await kustoCount(world.engine.url, database, 'GamePlay')).toBe(5), { timeoutMs: 20_000, intervalMs: 100 });
    expect(Date.now() - firstQueued).toBeLessThan(10_000);
  });
});

describe('a queued blob the target cannot ingest', () => {
  it('reaches the connector errors with its offset range, and the engine lists it in .show ingestion failures', async () => {
    const topic = uniqueName('gameplay');
    const database = uniqueName('gamesdb');
    await createTopic(topic, 1);
    const definition = gameplayConnectorDefinition(world.ids, {
      name: uniqueName('failing').replace(/_/g, '-'),
      source: { topics: [topic], startFrom: 'earliest' },
      target: { ...gameplayConnectorDefinition(world.ids).target, database },
      ingestion: { mode: 'queued', batching: REFERENCE_BATCHING },
      flush: { maxRecords: 4, maxBytes: 1024 * 1024, maxAgeMs: 500 },
    });
    const connector = await createConnector(world.database.db, definition, 'test');
    await waitFor(async () => expect((await getConnector(world.database.db, connector.id)).appliedRevision).toBe(1));
    await mgmt(database, `.drop table GamePlay ingestion json mapping 'gameplay_json_mapping'`);
    await produce(topic, REFERENCE_EVENTS.map(toKafkaMessage));

    const errors = await waitFor(
      async () => {
        const found = (await listConnectorErrors(world.database.db, connector.id)).filter((error) => error.kind === 'ingestion-failed');
        expect(found).toHaveLength(1);
        return found;
      },
      { timeoutMs: 30_000 },
    );
    expect(errors[0].message).toMatch(/offsets 0–3/);
    expect(errors[0].message).toMatch(/gameplay_json_mapping/);
    expect(errors[0].offset).toBe(0);
    const view = await getConnectorIngestion(world.database.db, connector.id);
    expect(view.failed).toEqual({ blobs: 1, rows: 4 });
    const failures = await mgmt(database, '.show ingestion failures');
    expect(failures.some((failure) => String(failure.Details).includes('gameplay_json_mapping') && String(failure.IngestionSourcePath).includes(view.recent[0].id))).toBe(true);
  });
});

describe('an ingestor-only connection', () => {
  async function ingestorConnection(name: string): Promise<string> {
    const saved = await createKustoConnection(world.database.db, { name, clusterUrl: world.engine.url, principalRole: 'INGESTOR' }, secretKey());
    return saved.id;
  }

  async function prepareTable(database: string, streaming: boolean): Promise<void> {
    const { target } = gameplayConnectorDefinition(world.ids);
    await mgmt(database, createMergeTableCommand(target));
    await mgmt(database, createOrAlterJsonMappingCommand(target));
    await mgmt(database, `.alter table GamePlay policy ingestionbatching '{"MaximumBatchingTimeSpan":"00:00:10","MaximumNumberOfItems":5,"MaximumRawDataSizeMB":100}'`);
    await mgmt(database, `.alter table GamePlay policy streamingingestion ${streaming ? 'enable' : 'disable'}`);
  }

  it('lands rows in managed mode through the queued fallback when the table does not allow streaming, and says so', async () => {
    const topic = uniqueName('gameplay');
    const database = uniqueName('gamesdb');
    await createTopic(topic, 1);
    await prepareTable(database, false);
    const kustoConnectionId = await ingestorConnection(uniqueName('ingestor'));
    const connector = await createConnector(
      world.database.db,
      gameplayConnectorDefinition(
        { ...world.ids, kustoConnectionId },
        {
          name: uniqueName('managed').replace(/_/g, '-'),
          source: { topics: [topic], startFrom: 'earliest' },
          target: { ...gameplayConnectorDefinition(world.ids).target, database },
          ingestion: { mode: 'managed', batching: REFERENCE_BATCHING },
        },
      ),
      'test',
    );
    await produce(topic, REFERENCE_EVENTS.map(toKafkaMessage));
    await waitFor(async () => expect(await kustoCount(world.engine.url, database, 'GamePlay')).toBe(4), { timeoutMs: 30_000 });
    const view = await waitFor(async () => {
      const current = await getConnectorIngestion(world.database.db, connector.id);
      expect(current.lastPath).toBe('managed-fallback');
      expect(current.landed.rows).toBe(4);
      return current;
    });
    expect(view.recent[0].fallbackReason).toMatch(/streaming/i);
    // Nothing was created or altered on the ingestor's behalf: the engine's command log has only
    // this test's own preparation, and the policy is still off.
    const commands = (await mgmt(database, '.show commands')).filter((command) => command.Database === database).map((command) => String(command.Text));
    expect(commands.filter((text) => /^\.(create|alter|drop|set|append)/.test(text))).toHaveLength(4);
    expect(commands.filter((text) => text.startsWith('.show'))).not.toHaveLength(0);
    const policy = await mgmt(database, '.show table GamePlay policy streamingingestion');
    expect(JSON.parse(String(policy[0].Policy)).IsEnabled).toBe(false);
  });

  it('names the KQL an admin must run when the mapping is missing', async () => {
    const topic = uniqueName('gameplay');
    const database = uniqueName('gamesdb');
    await createTopic(topic, 1);
    await prepareTable(database, true);
    await mgmt(database, `.drop table GamePlay ingestion json mapping 'gameplay_json_mapping'`);
    const kustoConnectionId = await ingestorConnection(uniqueName('ingestor'));
    const connector = await createConnector(
      world.database.db,
      gameplayConnectorDefinition(
        { ...world.ids, kustoConnectionId },
        { name: uniqueName('nomapping').replace(/_/g, '-'), source: { topics: [topic], startFrom: 'earliest' }, target: { ...gameplayConnectorDefinition(world.ids).target, database } },
      ),
      'test',
    );
    const failed = await waitFor(async () => {
      const view = await getConnector(world.database.db, connector.id);
      expect(view.actualState).toBe('FAILED');
      return view;
    });
    expect(failed.lastError).toMatch(/may only ingest/);
    expect(failed.lastError).toContain(".create-or-alter table ['GamePlay'] ingestion json mapping 'gameplay_json_mapping'");
    expect(failed.lastError).not.toContain('.create-merge table');
  });
});
