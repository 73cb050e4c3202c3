import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Client as KustoClient } from 'azure-kusto-data';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gameplayConnectorDefinition, REFERENCE_EVENTS, toKafkaMessage } from '../../lib/demo/gameplay';
import { ARTIFACTS_DIR, eventually, launchBrowser, signedInPage, textOf, wizardNextButton } from '../support/browser';
import { createTestDatabase, createTopic, kustoCount, produce, uniqueName, waitFor, type TestDatabase } from '../support/harness';
import { startStack, stackFetch, type TestStack } from '../support/stack';

/**
 * Acceptance points the other browser tests leave open, on an empty install: the wizard on
 * events with a nested object and an epoch-milliseconds time, the wizard against existing
 * tables (a missing column, a conflicting type), and the connector page for skipped records,
 * target drift and the duplicates an offset reset brings.
 */
let database: TestDatabase;
let stack: TestStack;
let browser: Awaited<ReturnType<typeof launchBrowser>>;

/** Orders with a nested customer object and an epoch-milliseconds timestamp. */
const ORDERS = [
  { orderId: 7, placedAtMs: 1_635_049_479_572, customer: { country: 'DE', tier: 'gold' }, amount: 12.5 },
  { orderId: 8, placedAtMs: 1_635_049_480_572, customer: { country: 'NL', tier: 'silver' }, amount: 20.25 },
  { orderId: 9, placedAtMs: 1_635_049_481_572, customer: { country: 'FR', tier: 'gold' }, amount: 3.75 },
];
const ORDERS_TOPIC = `orders-${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  database = await createTestDatabase();
  await createTopic(ORDERS_TOPIC, 1);
  await produce(ORDERS_TOPIC, ORDERS.map((order) => ({ key: String(order.orderId), value: JSON.stringify(order) })));
  stack = await startStack('acceptance-extra', database, { KASTOR_DEMO: 'off' });
  browser = await launchBrowser(stack);
}, 360_000);

afterAll(async () => {
  await browser?.close();
  await stack?.service.stop();
  await database?.drop();
});

function screenshot(page: Page, name: string) {
  return page.screenshot({ path: path.join(ARTIFACTS_DIR, `acceptance-${name}.png`), fullPage: true });
}

function newPage(): Promise<Page> {
  return signedInPage(browser.browser, stack, 'admin', { width: 1280, height: 900 });
}

async function kusto<T>(run: (client: KustoClient) => Promise<T>): Promise<T> {
  const client = new KustoClient(stack.engineUrl);
  try {
    return await run(client);
  } finally {
    client.close();
  }
}

const mgmt = (databaseName: string, csl: string) => kusto((client) => client.executeMgmt(databaseName, csl));

async function query<T>(databaseName: string, csl: string): Promise<T[]> {
  return kusto(async (client) => (await client.execute(databaseName, csl)).primaryResults[0].toJSON<T>().data);
}

async function connectionId(kind: 'kafka' | 'kusto', name: string): Promise<string> {
  const response = await stackFetch(stack, `/api/connections/${kind}`);
  const { connections } = (await response.json()) as { connections: { id: string; name: string }[] };
  return connections.find((connection) => connection.name === name)!.id;
}

/** Source (local-kafka, the orders topic), Sample and Schema as a user accepts them, up to the Target step. */
async function wizardToTarget(page: Page): Promise<void> {
  await page.goto(`${stack.webUrl}/connectors/new`);
  await page.getByRole('heading', { name: '1. Source' }).waitFor();
  const localKafka = await page.locator('#kafka-connection option', { hasText: 'local-kafka' }).getAttribute('value');
  await page.getByLabel('Connection', { exact: true }).selectOption(localKafka!);
  await page.getByLabel(ORDERS_TOPIC, { exact: true }).check();
  await wizardNextButton(page).click();
  await page.getByRole('heading', { name: '2. Sample' }).waitFor();
  await waitFor(async () => expect(await page.getByTestId('sample-message').count()).toBe(ORDERS.length));
  await wizardNextButton(page).click();
  await page.getByRole('heading', { name: '3. Schema' }).waitFor();
  await page.getByTestId('column-row-4').waitFor();
  await eventually(async () => expect(await wizardNextButton(page).isEnabled()).toBe(true));
  await wizardNextButton(page).click();
  await page.getByRole('heading', { name: '4. Target' }).waitFor();
  const localKusto = await page.locator('#kusto-connection option', { hasText: 'local-kusto' }).getAttribute('value');
  await page.getByLabel('Kusto connection').selectOption(localKusto!);
}

/** Policies as proposed, then Review and Create. */
async function clickCreateFromTarget(page: Page): Promise<void> {
  await eventually(async () => expect(await wizardNextButton(page).isEnabled()).toBe(true));
  await wizardNextButton(page).click();
  await page.getByRole('heading', { name: '5. Policies' }).waitFor();
  await wizardNextButton(page).click();
  await page.getByRole('heading', { name: '6. Review' }).waitFor();
  await page.getByTestId('planned-command').first().waitFor();
  await page.getByRole('button', { name: 'Create connector' }).click();
}

/** Policies as proposed, then Review and Create; resolves on the new connector's page. */
async function createFromTarget(page: Page): Promise<void> {
  await clickCreateFromTarget(page);
  await page.waitForURL(/\/connectors\/[0-9a-f-]{36}$/, { timeout: 60_000 });
}

describe('the wizard', () => {
  it('proposes a datetime from epoch milliseconds and flattened nested fields, and the created connector lands them', async () => {
    const page = await newPage();
    try {
      await wizardToTarget(page);
      await page.getByRole('button', { name: '← Back' }).click();

      // 3 Schema: what the page proposes, read from the editor's inputs and selects.
      await page.getByRole('heading', { name: '3. Schema' }).waitFor();
      await page.getByTestId('column-row-4').waitFor();
      const proposed = await page.locator('[data-testid^="column-row-"]').evaluateAll((rows) =>
        rows.map((row) => {
          const [name, path] = [...row.querySelectorAll('input')].map((input) => input.value);
          const [type, transform] = [...row.querySelectorAll('select')].map((select) => select.value);
          return [name, type, path, transform].join(' ').trim();
        }),
      );
      expect(proposed).toEqual([
        'OrderID int $.orderId',
        'PlacedAtMs datetime $.placedAtMs DateTimeFromUnixMilliseconds',
        'CustomerCountry string $.customer.country',
        'CustomerTier string $.customer.tier',
        'Amount real $.amount',
      ]);
      await expect(page.getByLabel('Transform of PlacedAtMs').locator('option:checked').innerText()).resolves.toBe('DateTimeFromUnixMilliseconds');
      // The preview shows the epoch milliseconds as a datetime and the nested values as their own cells.
      const preview = page.getByTestId('mapping-preview');
      await waitFor(async () => expect(await preview.locator('tbody tr').count()).toBe(ORDERS.length));
      const previewRows = await preview.locator('tbody tr').evaluateAll((rows) => rows.map((row) => Array.from(row.querySelectorAll('td'), (cell) => cell.textContent?.trim())));
      // The sample lists the newest message first.
      expect(previewRows.sort((a, b) => Number(a[0]) - Number(b[0]))).toEqual([
        ['7', '2021-10-24T04:24:39.5720000Z', 'DE', 'gold', '12.5'],
        ['8', '2021-10-24T04:24:40.5720000Z', 'NL', 'silver', '20.25'],
        ['9', '2021-10-24T04:24:41.5720000Z', 'FR', 'gold', '3.75'],
      ]);
      await screenshot(page, '1-schema-nested-epoch');

      // Kastor never creates databases: an admin made this one, with another table.
      await mgmt('shopdb', '.create table Other (A:int)');
      await wizardNextButton(page).click();
      await page.getByRole('heading', { name: '4. Target' }).waitFor();
      await page.getByLabel('Connector name').fill('orders');
      await page.getByLabel('Database').fill('shopdb');
      await page.getByLabel('Table', { exact: true }).fill('Orders');
      await page.getByLabel('JSON ingestion mapping').fill('orders_json_mapping');
      await eventually(async () => expect(await textOf(page.getByTestId('target-check'))).toContain('does not exist yet'));
      await createFromTarget(page);

      await waitFor(async () => expect(await kustoCount(stack.engineUrl, 'shopdb', 'Orders')).toBe(ORDERS.length), { timeoutMs: 90_000, intervalMs: 500 });
      const rows = await query<{ OrderID: number; PlacedAtMs: Date; CustomerCountry: string; CustomerTier: string; Amount: number }>(
        'shopdb',
        'Orders | project OrderID, PlacedAtMs, CustomerCountry, CustomerTier, Amount | order by OrderID asc',
      );
      expect(rows.map((row) => [row.OrderID, row.PlacedAtMs.getTime(), row.CustomerCountry, row.CustomerTier, row.Amount])).toEqual(
        ORDERS.map((order) => [order.orderId, order.placedAtMs, order.customer.country, order.customer.tier, order.amount]),
      );
      await waitFor(async () => expect(await textOf(page.getByTestId('rows-total'))).toBe('3'), { timeoutMs: 60_000, intervalMs: 500 });
      await eventually(async () => expect(await textOf(page.getByTestId('target-row-count'))).toBe('3'), 30_000);
      await screenshot(page, '1-connector');
    } catch (error) {
      await screenshot(page, '1-failure');
      throw error;
    } finally {
      await page.close();
    }
  });

  it('offers the .create-merge for a column an existing table lacks, and blocks a column whose type conflicts', async () => {
    await mgmt('legacydb', '.create table LegacyOrders (OrderID:int, PlacedAtMs:datetime, CustomerCountry:string, CustomerTier:string)');
    await mgmt('legacydb', '.create table TextOrders (OrderID:string, PlacedAtMs:datetime, CustomerCountry:string, CustomerTier:string, Amount:real)');
    const page = await newPage();
    try {
      await wizardToTarget(page);
      await page.getByLabel('Connector name').fill('legacy-orders');
      await page.getByLabel('Database').fill('legacydb');
      await page.getByLabel('Table', { exact: true }).fill('LegacyOrders');
      await page.getByLabel('JSON ingestion mapping').fill('legacy_orders_mapping');
      const check = page.getByTestId('target-check');
      await eventually(async () => expect(await textOf(check)).toContain('Create adds 1 missing column: Amount:real'));
      expect(await textOf(check.locator('pre'))).toBe(".create-merge table ['LegacyOrders'] (['Amount']:real)");
      await eventually(async () => expect(await wizardNextButton(page).isEnabled()).toBe(true));
      await screenshot(page, '2-target-missing-column');

      await page.getByLabel('Table', { exact: true }).fill('TextOrders');
      const conflicts = page.getByTestId('target-conflicts');
      await conflicts.waitFor();
      const conflict = await textOf(conflicts.locator('li'));
      expect(conflict).toContain('OrderID is string in the table but int here');
      expect(conflict).toContain("Column 'OrderID' of table 'TextOrders' is string, but the mapping needs int");
      expect(conflict).toContain('cannot change');
      await eventually(async () => expect(await wizardNextButton(page).isDisabled()).toBe(true));
      expect(await textOf(page.getByTestId('step-blocker'))).toBe('Resolve the column type conflicts first');
      const steps = page.getByRole('navigation', { name: 'Wizard steps' });
      expect(await steps.getByRole('button', { name: 'Review' }).isDisabled()).toBe(true);
      await screenshot(page, '2-target-conflict');

      // Back to the table that lacks a column: Create adds it, and the orders land with their amount.
      await page.getByLabel('Table', { exact: true }).fill('LegacyOrders');
      await eventually(async () => expect(await textOf(page.getByTestId('target-check'))).toContain('Create adds 1 missing column'));
      await createFromTarget(page);
      await waitFor(async () => expect(await kustoCount(stack.engineUrl, 'legacydb', 'LegacyOrders')).toBe(ORDERS.length), { timeoutMs: 90_000, intervalMs: 500 });
      const amounts = await query<{ Amount: number }>('legacydb', 'LegacyOrders | order by OrderID asc | project Amount');
      expect(amounts.map((row) => row.Amount)).toEqual(ORDERS.map((order) => order.amount));
    } catch (error) {
      await screenshot(page, '2-failure');
      throw error;
    } finally {
      await page.close();
    }
  });
  it('with an ingestor-only connection, Create saves nothing while the table is missing and hands over the KQL for an admin; Create anyway saves it', async () => {
    const connection = await stackFetch(stack, '/api/connections/kusto', {
      method: 'POST',
      body: JSON.stringify({ name: 'ingest-only', clusterUrl: stack.engineUrl, authKind: 'NONE', principalRole: 'INGESTOR' }),
    });
    expect(connection.status).toBe(201);
    // Kastor never creates databases: an admin made this one, with another table; the connector's table is missing.
    await mgmt('ingestdb', '.create table Other (A:int)');
    const page = await newPage();
    try {
      await wizardToTarget(page);
      const ingestOnly = await page.locator('#kusto-connection option', { hasText: 'ingest-only' }).getAttribute('value');
      await page.getByLabel('Kusto connection').selectOption(ingestOnly!);
      await page.getByLabel('Connector name').fill('ingest-only-orders');
      await page.getByLabel('Database').fill('ingestdb');
      await page.getByLabel('Table', { exact: true }).fill('IngestOrders');
      await page.getByLabel('JSON ingestion mapping').fill('ingest_orders_mapping');
      await clickCreateFromTarget(page);

      // The one request checked the target, changed nothing and saved nothing: the steps say why.
      const verdict = page.getByTestId('verify-result');
      await verdict.waitFor();
      expect(await textOf(verdict.locator('pre'))).toContain(".create-merge table ['IngestOrders']");
      await verdict.getByRole('button', { name: 'Copy the KQL for an admin' }).waitFor();
      expect(await page.locator('[data-testid="save-step"][data-step="verify"][data-purpose="table"]').getAttribute('data-status')).toBe('failed');
      expect(await page.locator('[data-testid="save-step"][data-step="save"]').count()).toBe(0);
      await screenshot(page, '4-ingestor-not-ready');
      const names = async () => ((await (await stackFetch(stack, '/api/connectors')).json()) as { connectors: { name: string }[] }).connectors.map((c) => c.name);
      expect(await names()).not.toContain('ingest-only-orders');
      const tables = await kusto(async (client) => (await client.executeMgmt('ingestdb', '.show tables')).primaryResults[0].toJSON<{ TableName: string }>().data);
      expect(tables.map((table) => table.TableName)).not.toContain('IngestOrders');

      await verdict.getByRole('button', { name: /Create anyway/ }).click();
      await page.waitForURL(/\/connectors\/[0-9a-f-]{36}$/, { timeout: 60_000 });
      expect(await names()).toContain('ingest-only-orders');
    } catch (error) {
      await screenshot(page, '4-failure');
      throw error;
    } finally {
      await page.close();
    }
  });
});

describe('the connector page', () => {
  const skipTopic = uniqueName('skip');
  let page: Page;

  beforeAll(async () => {
    page = await newPage();
  });

  afterAll(async () => {
    await page?.close();
  });

  it('lists a record that is not JSON with its partition, offset and bytes, counts it, and keeps ingesting (policy skip)', async () => {
    await createTopic(skipTopic, 1);
    const ids = { kafkaConnectionId: await connectionId('kafka', 'local-kafka'), kustoConnectionId: await connectionId('kusto', 'local-kusto') };
    const definition = gameplayConnectorDefinition(ids, {
      name: 'skip-bad',
      source: { topics: [skipTopic], startFrom: 'earliest' },
      target: { ...gameplayConnectorDefinition(ids).target!, table: 'SkipTarget' },
      errorPolicy: { onDecodeError: 'skip' },
    });
    const response = await stackFetch(stack, '/api/connectors', { method: 'POST', body: JSON.stringify(definition) });
    expect(response.status).toBe(201);
    const { connector } = (await response.json()) as { connector: { id: string } };
    await produce(skipTopic, [toKafkaMessage(REFERENCE_EVENTS[0]), { key: 'x', value: 'this is not json' }, toKafkaMessage(REFERENCE_EVENTS[1])]);

    await page.goto(`${stack.webUrl}/connectors/${connector.id}`);
    try {
      await waitFor(async () => expect(await textOf(page.getByTestId('rows-total'))).toBe('2'), { timeoutMs: 90_000, intervalMs: 500 });
      const error = page.getByTestId('connector-error');
      await eventually(async () => expect(await error.count()).toBe(1), 30_000);
      expect(await textOf(error.getByTestId('error-kind'))).toBe('decode');
      expect(await textOf(error.getByTestId('error-location'))).toBe(`${skipTopic}/0@1`);
      expect(await textOf(error.getByTestId('error-preview'))).toBe('this is not json');
      expect(await textOf(page.getByTestId('error-count-decode').locator('dd'))).toBe('1');
      await eventually(async () => expect(await page.getByTestId('connector-state').getAttribute('data-actual-state')).toBe('RUNNING'));
      expect(await kustoCount(stack.engineUrl, 'gamesdb', 'SkipTarget')).toBe(2);
      await eventually(async () => {
        expect(await textOf(page.getByTestId('target-row-count'))).toBe('2');
        expect(await textOf(page.getByTestId('target-rows-written'))).toBe('2');
      }, 30_000);
    } finally {
      await screenshot(page, '3-skipped-record');
    }
  });

  it('shows drift when the batching policy is changed on the target, and none after re-apply', async () => {
    await mgmt('gamesdb', `.alter table SkipTarget policy ingestionbatching '{"MaximumBatchingTimeSpan":"00:02:00","MaximumNumberOfItems":1000,"MaximumRawDataSizeMB":512}'`);
    const drift = page.getByTestId('target-drift');
    try {
      await eventually(async () => expect(await textOf(drift)).toContain('The target differs from the definition'), 30_000);
      const shown = await textOf(drift);
      expect(shown).toContain('batching policy');
      expect(shown).toMatch(/expected: .*"MaximumNumberOfItems":5/);
      expect(shown).toMatch(/actual: .*"MaximumNumberOfItems":1000/);
      await drift.scrollIntoViewIfNeeded();
      await screenshot(page, '4-drift');

      await page.getByTestId('target-reapply').click();
      await page.getByRole('status').filter({ hasText: 'Applied 4 commands.' }).waitFor({ timeout: 30_000 });
      await eventually(async () => expect(await textOf(drift)).toBe("No drift: table schema, mapping and policies match the connector's definition."), 30_000);
      await screenshot(page, '4-reapplied');
    } catch (error) {
      await screenshot(page, '4-failure');
      throw error;
    }
  });

  it('warns before an offset reset that records read again land as duplicates, and the replay adds them to the target', async () => {
    await page.locator('summary', { hasText: 'Reset offsets' }).click();
    const warning = page.getByText('Rows already in the table stay there: records read again are ingested again, so expect duplicates in the target.');
    await warning.waitFor();
    expect(await warning.isVisible()).toBe(true);

    const stop = page.getByTestId('action-stop');
    await stop.click();
    await stop.filter({ hasText: 'Stopped' }).waitFor({ timeout: 30_000 });
    await page.getByLabel('Earliest').check();
    await page.getByTestId('reset-offsets').click();
    const outcome = page.getByRole('status').filter({ hasText: 'Offsets reset' });
    await outcome.waitFor({ timeout: 30_000 });
    expect((await outcome.locator('li').allInnerTexts()).map((line) => line.trim())).toEqual([`${skipTopic}/0 → 0`]);
    await warning.scrollIntoViewIfNeeded();
    await screenshot(page, '5-reset-offsets-duplicates');

    await page.getByTestId('action-start').click();
    await waitFor(async () => expect(await kustoCount(stack.engineUrl, 'gamesdb', 'SkipTarget')).toBe(4), { timeoutMs: 90_000, intervalMs: 500 });
    await eventually(async () => {
      expect(await page.getByTestId('connector-state').getAttribute('data-actual-state')).toBe('RUNNING');
      expect(await textOf(page.getByTestId('rows-total'))).toBe('4');
      expect(await textOf(page.getByTestId('target-row-count'))).toBe('4');
    }, 30_000);
    await screenshot(page, '5-replayed');
  });
});
