import path from 'node:path';
import { Client as KustoClient } from 'azure-kusto-data';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gameplayConnectorDefinition, REFERENCE_EVENTS, toKafkaMessage } from '../../lib/demo/gameplay';
import { createMergeTableCommand, createOrAlterJsonMappingCommand } from '../../lib/kql/target-commands';
import { ARTIFACTS_DIR, launchBrowser, signedInPage, textOf } from '../support/browser';
import { GAMEPLAY_CONNECT_CONFIG } from '../support/gameplay-connect-config';
import { createTestDatabase, createTopic, produce, uniqueName, waitFor, type TestDatabase } from '../support/harness';
import { startStack, stackFetch, type TestStack } from '../support/stack';

/**
 * Queued ingestion as a user sees it: the scenario's Kafka Connect config imported (queued, the
 * imported 30 s flush, the reference batching policy) — the connector page shows the four events
 * pending in the service, then landed; and a managed connector on a table without streaming
 * says its batches went through the queued fallback, and why.
 */
let database: TestDatabase;
let stack: TestStack;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;

beforeAll(async () => {
  database = await createTestDatabase();
  stack = await startStack('queued-ingestion-page', database, { KASTOR_DEMO: 'off' });
  browser = await launchBrowser(stack);
  page = await signedInPage(browser.browser, stack, 'viewer', { width: 1440, height: 1000 });
}, 360_000);

afterAll(async () => {
  await browser?.close();
  await stack?.service.stop();
  await database?.drop();
});

async function connectionId(kind: 'kafka' | 'kusto', name: string): Promise<string> {
  const { connections } = (await (await stackFetch(stack, `/api/connections/${kind}`)).json()) as { connections: { id: string; name: string }[] };
  return connections.find((connection) => connection.name === name)!.id;
}

async function createThroughApi(definition: unknown): Promise<string> {
  const response = await stackFetch(stack, '/api/connectors', { method: 'POST', body: JSON.stringify(definition) });
  expect(response.status).toBe(201);
  return ((await response.json()) as { connector: { id: string } }).connector.id;
}

async function mgmt(databaseName: string, csl: string): Promise<void> {
  const client = new KustoClient(stack.engineUrl);
  try {
    await client.executeMgmt(databaseName, csl);
  } finally {
    client.close();
  }
}

async function screenshot(name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS_DIR, `queued-ingestion-${name}.png`), fullPage: true });
}

describe('queued ingestion on the connector page', () => {
  it('shows the imported scenario pending in the service, then landed', async () => {
    const ids = { kafkaConnectionId: await connectionId('kafka', 'local-kafka'), kustoConnectionId: await connectionId('kusto', 'local-kusto') };
    const imported = await stackFetch(stack, '/api/import/kafka-connect', { method: 'POST', body: JSON.stringify({ config: GAMEPLAY_CONNECT_CONFIG, ...ids }) });
    expect(imported.status).toBe(200);
    const [draft] = ((await imported.json()) as { connectors: Record<string, unknown>[] }).connectors;
    expect(draft.ingestion).toEqual({ mode: 'queued' });
    const topic = uniqueName('gameplay');
    await createTopic(topic, 4);
    const connectorId = await createThroughApi({
      ...gameplayConnectorDefinition(ids),
      ...draft,
      source: { topics: [topic], startFrom: 'earliest' },
      target: gameplayConnectorDefinition(ids).target,
      ingestion: { mode: 'queued', batching: { maxBatchingTimeSpan: '00:00:10', maxItems: 5, maxRawDataSizeMb: 100 } },
    });
    await produce(topic, REFERENCE_EVENTS.map(toKafkaMessage));
    await page.goto(`${stack.webUrl}/connectors/${connectorId}`);
    expect(await textOf(page.getByTestId('ingestion-mode'))).toBe('Queued');

    // After the imported 30 s flush the worker has queued the blobs; the service holds them for the batching window.
    await waitFor(async () => expect(await textOf(page.getByTestId('ingestion-pending-rows'))).toBe('4'), { timeoutMs: 60_000, intervalMs: 250 });
    expect(await textOf(page.getByTestId('ingestion-landed-rows'))).toBe('0');
    expect(await textOf(page.getByTestId('ingestion-last-path'))).toBe('queued ingestion');
    expect(await page.getByTestId('ingestion-blob').count()).toBeGreaterThan(0);
    await screenshot('pending');

    await waitFor(async () => expect(await textOf(page.getByTestId('ingestion-landed-rows'))).toBe('4'), { timeoutMs: 30_000, intervalMs: 250 });
    expect(await textOf(page.getByTestId('ingestion-pending-rows'))).toBe('0');
    await waitFor(async () => expect(await textOf(page.getByTestId('target-row-count'))).toBe('4'), { timeoutMs: 15_000, intervalMs: 500 });
    await screenshot('landed');
  });

  it('says a managed connector fell back to queued ingestion on a table without streaming, and why', async () => {
    const database = uniqueName('manageddb');
    const { target } = gameplayConnectorDefinition({ kafkaConnectionId: '', kustoConnectionId: '' });
    await mgmt(database, createMergeTableCommand(target!));
    await mgmt(database, createOrAlterJsonMappingCommand(target!));
    await mgmt(database, `.alter table GamePlay policy ingestionbatching '{"MaximumBatchingTimeSpan":"00:00:10","MaximumNumberOfItems":1,"MaximumRawDataSizeMB":100}'`);
    await mgmt(database, '.alter table GamePlay policy streamingingestion disable');
    // An ingestor connection: Kastor may not enable streaming, so the table stays as its admin left it.
    const created = await stackFetch(stack, '/api/connections/kusto', {
      method: 'POST',
      body: JSON.stringify({ name: 'ingestor-only', clusterUrl: stack.engineUrl, authKind: 'NONE', principalRole: 'INGESTOR' }),
    });
    expect(created.status).toBe(201);
    const kustoConnectionId = ((await created.json()) as { connection: { id: string } }).connection.id;
    const topic = uniqueName('managed');
    await createTopic(topic, 1);
    const connectorId = await createThroughApi(
      gameplayConnectorDefinition(
        { kafkaConnectionId: await connectionId('kafka', 'local-kafka'), kustoConnectionId },
        { name: 'managed-fallback', source: { topics: [topic], startFrom: 'earliest' }, target: { ...target!, database }, ingestion: { mode: 'managed' } },
      ),
    );
    await produce(topic, REFERENCE_EVENTS.map(toKafkaMessage));
    await page.goto(`${stack.webUrl}/connectors/${connectorId}`);
    expect(await textOf(page.getByTestId('ingestion-mode'))).toBe('Managed streaming');
    await waitFor(async () => expect(await textOf(page.getByTestId('ingestion-landed-rows'))).toBe('4'), { timeoutMs: 60_000, intervalMs: 250 });
    expect(await textOf(page.getByTestId('ingestion-last-path'))).toBe('queued ingestion (managed fallback)');
    expect(await textOf(page.getByTestId('ingestion-blob').first())).toMatch(/fell back to queued: Streaming ingestion policy is not enabled/);
    await screenshot('managed-fallback');
  });
});
