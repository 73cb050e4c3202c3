import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as connectorExportRoute from '../../app/api/connectors/[id]/export/route';
import * as connectorRoute from '../../app/api/connectors/[id]/route';
import * as exportRoute from '../../app/api/export/route';
import * as importRoute from '../../app/api/import/route';
import type { ImportResult, TConfigDocument } from '../../lib/config/config-document';
import { ZConnectorDefinition } from '../../lib/connectors/connector-definition';
import { getConnector } from '../../lib/connectors/read-connectors';
import { gameplayConnectorDefinition } from '../../lib/demo/gameplay';
import { createTopic, startPipelineWorld, uniqueName, waitFor, type PipelineWorld } from '../support/harness';
import { jsonRequest, noParams, readJson, routeParams } from '../support/route-requests';

/**
 * Config as code through the API, with an admin API token as automation would: export a
 * connector, delete it, import the export (dry run first) and get the same definition; the same
 * round trip through a Kafka Connect Kusto sink config.
 */
let world: PipelineWorld;

beforeAll(async () => {
  world = await startPipelineWorld();
});

afterAll(async () => {
  await world?.close();
});

async function exportConnector(id: string, format?: string) {
  return readJson(await connectorExportRoute.GET(jsonRequest('GET', `/api/connectors/${id}/export${format ? `?format=${format}` : ''}`), routeParams({ id })));
}

async function importBody(body: unknown): Promise<{ status: number; body: ImportResult & { error?: { message: string; issues?: { field: string }[] } } }> {
  return readJson(await importRoute.POST(jsonRequest('POST', '/api/import', body), noParams));
}

async function createAndApply(name: string, overrides: object) {
  const topic = uniqueName(name);
  await createTopic(topic, 2);
  const definition = gameplayConnectorDefinition(world.ids, { name, source: { topics: [topic], startFrom: 'latest' }, ...overrides });
  const connector = await getConnector(world.database.db, (await readJson(await connectorPost(definition))).body.connector.id);
  // The worker has applied the table, mapping and policies once the revision is reported applied.
  await waitFor(async () => expect((await getConnector(world.database.db, connector.id)).appliedRevision).toBe(1), { timeoutMs: 60_000 });
  return { connector, definition: ZConnectorDefinition.parse(definition) };
}

async function connectorPost(definition: unknown) {
  const { POST } = await import('../../app/api/connectors/route');
  return POST(jsonRequest('POST', '/api/connectors', definition), noParams);
}

async function deleteAndWaitGone(id: string) {
  expect((await connectorRoute.DELETE(jsonRequest('DELETE', `/api/connectors/${id}`), routeParams({ id }))).status).toBe(202);
  await waitFor(async () => expect(await world.database.db.connector.findUnique({ where: { id } })).toBeNull(), { timeoutMs: 60_000 });
}

describe('export and import of Kastor documents', () => {
  it('exports a connector, re-creates it after deletion by importing, dry run first; a second import changes nothing', async () => {
    const { connector, definition } = await createAndApply('exported', {
      target: { ...gameplayConnectorDefinition(world.ids).target!, table: 'ExportedTarget', mappingName: 'exported_mapping' },
      flush: { maxRecords: 777, maxBytes: 2 * 1024 * 1024, maxAgeMs: 1500 },
    });
    const exported = await exportConnector(connector.id);
    expect(exported.status).toBe(200);
    const document = exported.body as TConfigDocument;
    expect(document.apiVersion).toBe('kastor.io/v1');
    expect(document.connectors).toHaveLength(1);
    expect(document.connectors[0]).toMatchObject({ name: 'exported', kafkaConnection: 'test-kafka', kustoConnection: 'test-kusto', flush: { maxRecords: 777 } });
    expect(document.connectors[0]).not.toHaveProperty('kafkaConnectionId');
    expect(document.connections.kafka.map((connection) => connection.name)).toEqual(['test-kafka']);
    expect(JSON.stringify(document)).not.toMatch(/password|appKey|Enc"/i);

    await deleteAndWaitGone(connector.id);

    const dryRun = await importBody({ document, dryRun: true });
    expect(dryRun.status).toBe(200);
    expect(dryRun.body.dryRun).toBe(true);
    expect(dryRun.body.changes).toEqual([
      { kind: 'kafka-connection', name: 'test-kafka', action: 'unchanged', changes: [] },
      { kind: 'kusto-connection', name: 'test-kusto', action: 'unchanged', changes: [] },
      { kind: 'connector', name: 'exported', action: 'create', changes: [] },
    ]);
    expect(await world.database.db.connector.count({ where: { name: 'exported' } })).toBe(0);

    const applied = await importBody({ document });
    expect(applied.status).toBe(200);
    const recreated = await getConnector(world.database.db, applied.body.connectorIds.exported);
    expect(recreated.id).not.toBe(connector.id);
    expect(recreated.definition).toEqual(definition);

    const again = await importBody({ document, dryRun: true });
    expect(again.body.changes.find((change) => change.kind === 'connector')).toEqual({ kind: 'connector', name: 'exported', action: 'unchanged', changes: [] });

    // An edit in git shows as a diff of exactly what changed, then a new revision.
    const edited = structuredClone(document);
    Object.assign(edited.connectors[0], { flush: { ...(edited.connectors[0].flush as object), maxRecords: 100 } });
    const diff = await importBody({ document: edited, dryRun: true });
    expect(diff.body.changes.find((change) => change.kind === 'connector')).toEqual({
      kind: 'connector',
      name: 'exported',
      action: 'update',
      changes: [{ path: 'flush.maxRecords', before: 777, after: 100 }],
    });
    await importBody({ document: edited });
    const updated = await getConnector(world.database.db, recreated.id);
    expect(updated.revision).toBe(2);
    expect(updated.definition.flush.maxRecords).toBe(100);
  });

  it('refuses a document naming an unknown connection or an invalid field, naming the field', async () => {
    const { body: full } = await readJson(await exportRoute.GET(jsonRequest('GET', '/api/export'), noParams));
    const document = full as TConfigDocument;
    expect(document.connections.kusto.map((connection) => connection.name)).toEqual(['test-kusto']);
    const broken = {
      ...document,
      connections: { kafka: [], kusto: [] },
      connectors: [{ ...document.connectors[0], kustoConnection: 'nowhere' }],
    };
    const unknown = await importBody({ document: broken });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error?.issues?.[0].field).toBe('document.connectors.0.kustoConnection');

    const invalid = await importBody({ document: { ...document, connectors: [{ ...document.connectors[0], flush: { maxRecords: 0 } }] } });
    expect(invalid.status).toBe(422);
    expect(invalid.body.error?.issues?.[0].field).toBe('document.connectors.0.flush.maxRecords');

    const withoutToken = await importRoute.POST(jsonRequest('POST', '/api/import', { document }, { token: null }), noParams);
    expect(withoutToken.status).toBe(401);
  });
});

describe('Kafka Connect round trip', () => {
  it('exports a Kusto sink config and importing it back gives the same connector, columns read from the target mapping', async () => {
    const { connector, definition } = await createAndApply('connect-trip', {
      target: { ...gameplayConnectorDefinition(world.ids).target!, table: 'ConnectTripTarget', mappingName: 'connect_trip_mapping' },
      ingestion: { mode: 'queued', batching: { maxBatchingTimeSpan: '00:00:20', maxItems: 1000, maxRawDataSizeMb: 200 } },
      flush: { maxRecords: 5_000, maxBytes: 4 * 1024 * 1024, maxAgeMs: 2_000 },
      errorPolicy: { onDecodeError: 'skip' },
    });
    const { status, body: sink } = await exportConnector(connector.id, 'kafka-connect');
    expect(status).toBe(200);
    expect(sink.name).toBe('connect-trip');
    expect(sink.config).toMatchObject({
      'connector.class': 'com.microsoft.azure.kusto.kafka.connect.sink.KustoSinkConnector',
      topics: definition.source.topics[0],
      'kusto.query.url': world.engine.url,
      'flush.size.bytes': String(4 * 1024 * 1024),
      'flush.interval.ms': '2000',
      'behavior.on.error': 'ignore',
      'errors.tolerance': 'all',
      'consumer.override.auto.offset.reset': 'latest',
    });
    expect(JSON.parse(sink.config['kusto.tables.topics.mapping'])).toEqual([
      { topic: definition.source.topics[0], db: 'gamesdb', table: 'ConnectTripTarget', format: 'json', mapping: 'connect_trip_mapping', streaming: 'false' },
    ]);

    await deleteAndWaitGone(connector.id);
    const kafkaConnect = { config: sink, kafkaConnection: 'test-kafka', kustoConnection: 'test-kusto' };
    const plan = await importBody({ kafkaConnect, dryRun: true });
    expect(plan.status).toBe(200);
    expect(plan.body.changes).toEqual([{ kind: 'connector', name: 'connect-trip', action: 'create', changes: [] }]);

    const applied = await importBody({ kafkaConnect });
    const reimported = await getConnector(world.database.db, applied.body.connectorIds['connect-trip']);
    expect(reimported.definition).toEqual(definition);
    expect((await importBody({ kafkaConnect, dryRun: true })).body.changes[0].action).toBe('unchanged');
  });
});
