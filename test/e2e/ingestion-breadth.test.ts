import path from 'node:path';
import { Client as KustoClient } from 'azure-kusto-data';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS_DIR, eventually, launchBrowser, signedInPage, textOf, wizardNextButton } from '../support/browser';
import { createTestDatabase, createTopic, produce, uniqueName, waitFor, type TestDatabase } from '../support/harness';
import { kustoRows } from '../support/route-calls';
import { startStack, stackFetch, type TestStack } from '../support/stack';

/**
 * Ingestion breadth as a user sees it, on `npm start` with its schema registry: a CSV topic with a header
 * line through the wizard with Kafka metadata columns, then the connector page counting values
 * that did not fit their column; a two-topic connector's topics with their tables and lag, and a
 * new field proposed and added with one click.
 */
let database: TestDatabase;
let stack: TestStack;
let browser: Awaited<ReturnType<typeof launchBrowser>>;

beforeAll(async () => {
  database = await createTestDatabase();
  stack = await startStack('ingestion-breadth', database, { KASTOR_DEMO: 'off', KASTOR_SCHEMA_REGISTRY: 'on' });
  browser = await launchBrowser(stack);
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await stack?.service.stop();
  await database?.drop();
});

function screenshot(page: Page, name: string) {
  return page.screenshot({ path: path.join(ARTIFACTS_DIR, `breadth-${name}.png`), fullPage: true });
}

async function api<T>(pathname: string, body?: unknown): Promise<T> {
  const response = await stackFetch(stack, pathname, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = (await response.json()) as T;
  if (!response.ok) throw new Error(`${pathname}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

describe('ingestion breadth in the browser', () => {
  it('creates a CSV connector with metadata columns from the header line, and shows values that did not fit as null', async () => {
    const topic = uniqueName('scores');
    await createTopic(topic, 1);
    await produce(topic, [
      { value: 'player_id,score,played_at' },
      ...Array.from({ length: 6 }, (_, i) => ({ key: `p${i}`, value: `${i + 1},${(i + 1) * 1.5},2026-01-0${i + 1} 10:00:00`, headers: { region: i % 2 ? 'us' : 'eu' } })),
    ]);
    const page = await signedInPage(browser.browser, stack, 'admin', { width: 1440, height: 900 });
    try {
      // The local Kafka connection names npm start's schema registry.
      const connections = await api<{ connections: { name: string; id: string; schemaRegistryUrl: string | null }[] }>('/api/connections/kafka');
      const local = connections.connections.find((connection) => connection.name === 'local-kafka')!;
      expect(local.schemaRegistryUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/apis\/ccompat\/v7$/);
      expect((await fetch(`${local.schemaRegistryUrl}/subjects`)).status).toBe(200);

      await page.goto(`${stack.webUrl}/connectors/new`);
      await page.getByRole('heading', { name: '1. Source' }).waitFor();
      await page.getByLabel('Connection', { exact: true }).selectOption(local.id);
      await page.getByLabel(topic, { exact: true }).check();
      await wizardNextButton(page).click();

      // 2 Sample: CSV with its header line found.
      await page.getByRole('heading', { name: '2. Sample' }).waitFor();
      await eventually(async () => expect(await textOf(page.getByTestId('sample-format'))).toBe('csv'));
      await eventually(async () => expect(await page.getByLabel('Field names, in order').inputValue()).toBe('player_id, score, played_at'));
      expect(await page.getByLabel('The topic has a header line (skipped, not a row)').isChecked()).toBe(true);
      await screenshot(page, '1-sample-csv');
      await wizardNextButton(page).click();

      // 3 Schema: columns named after the header, then Kafka metadata ticked.
      await page.getByRole('heading', { name: '3. Schema' }).waitFor();
      await page.getByTestId('column-row-2').waitFor();
      const inferred = await page.locator('[data-testid^="column-row-"]').evaluateAll((rows) =>
        rows.map((row) => {
          const [name, path] = [...row.querySelectorAll('input')].map((input) => input.value);
          return `${name}:${row.querySelector('select')?.value}:${path}`;
        }),
      );
      expect(inferred).toEqual(['PlayerID:int:$.player_id', 'Score:real:$.score', 'PlayedAt:datetime:$.played_at']);
      const metadata = page.getByTestId('metadata-columns');
      for (const label of ['Offset', 'Timestamp', 'Key (text)', 'Header "region"']) await metadata.getByLabel(label, { exact: true }).check();
      await page.getByTestId('column-row-6').waitFor();
      await waitFor(async () => {
        const header = await page.getByTestId('mapping-preview').locator('thead th').allInnerTexts();
        expect(header.map((text) => text.split(/\s/)[0])).toEqual(['PlayerID', 'Score', 'PlayedAt', 'KafkaOffset', 'KafkaTimestamp', 'KafkaKey', 'HeaderRegion']);
      });
      // The header line is shown as not a row; the first data record carries its offset, key and header.
      await waitFor(async () => expect(await page.getByTestId('mapping-preview').locator('tbody tr').nth(1).locator('td').allInnerTexts()).toEqual(['1', '1.5', '2026-01-01T10:00:00.0000000Z', '1', expect.stringMatching(/^20\d\d-/), 'p0', 'eu']));
      await screenshot(page, '2-schema-metadata');
      await wizardNextButton(page).click();

      // 4 Target → 5 Policies → 6 Review → create. Kastor never creates databases: an admin made this one, with another table.
      const admin = new KustoClient(stack.engineUrl);
      await admin.executeMgmt('breadthdb', '.create table Other (A:int)').finally(() => admin.close());
      await page.getByRole('heading', { name: '4. Target' }).waitFor();
      const localKusto = await page.locator('#kusto-connection option', { hasText: 'local-kusto' }).getAttribute('value');
      await page.getByLabel('Kusto connection').selectOption(localKusto!);
      await page.getByLabel('Database').fill('breadthdb');
      await page.getByLabel('Table', { exact: true }).fill('Scores');
      await eventually(async () => expect(await wizardNextButton(page).isEnabled()).toBe(true));
      await wizardNextButton(page).click();
      await page.getByRole('heading', { name: '5. Policies' }).waitFor();
      await wizardNextButton(page).click();
      await page.getByRole('heading', { name: '6. Review' }).waitFor();
      await page.getByTestId('planned-command').first().waitFor();
      expect((await page.getByTestId('planned-command').locator('pre').allInnerTexts())[0]).toBe(
        ".create-merge table ['Scores'] (['PlayerID']:int, ['Score']:real, ['PlayedAt']:datetime, ['KafkaOffset']:long, ['KafkaTimestamp']:datetime, ['KafkaKey']:string, ['HeaderRegion']:string)",
      );
      await page.getByRole('button', { name: 'Create connector' }).click();
      await page.waitForURL(/\/connectors\/[0-9a-f-]{36}$/, { timeout: 60_000 });
      await waitFor(async () => expect(await kustoRows(stack.engineUrl, 'breadthdb', 'Scores')).toHaveLength(6), { timeoutMs: 90_000, intervalMs: 500 });
      const first = (await kustoRows<Record<string, unknown>>(stack.engineUrl, 'breadthdb', 'Scores | where KafkaOffset == 1'))[0];
      expect(first).toMatchObject({ PlayerID: 1, Score: 1.5, KafkaKey: 'p0', HeaderRegion: 'eu' });

      // Ten player ids past int: null in the table, counted on the page with an example offset.
      await produce(topic, Array.from({ length: 10 }, (_, i) => ({ value: `${2 ** 40 + i},1,2026-02-01 00:00:00` })));
      await waitFor(async () => expect(await kustoRows(stack.engineUrl, 'breadthdb', 'Scores | where isnull(PlayerID)')).toHaveLength(10), { timeoutMs: 60_000, intervalMs: 500 });
      const issues = page.getByTestId('conversion-issues');
      await waitFor(async () => expect(await textOf(issues)).toContain('PlayerID: 10 values did not fit int in the last hour'), { timeoutMs: 60_000, intervalMs: 1_000 });
      // A CSV field is text, so the example is quoted as the text that did not fit.
      expect(await textOf(issues)).toMatch(new RegExp(`e\\.g\\. ${topic}/0@(7|8|9|1\\d) with '10995116277\\d\\d'`));
      await screenshot(page, '3-connector-conversions');
    } catch (error) {
      await screenshot(page, 'failure-csv');
      throw error;
    }
  });

  it('lists a two-topic connector per topic, and adds a proposed column for a new field with one click', async () => {
    const [orders, refunds] = [uniqueName('orders'), uniqueName('refunds')];
    await createTopic(orders, 2);
    await createTopic(refunds, 1);
    await produce(orders, [{ value: JSON.stringify({ id: 1, amount: 10 }) }, { value: JSON.stringify({ id: 2, amount: 20 }), partition: 1 }]);
    await produce(refunds, [{ value: JSON.stringify({ id: 9, amount: 5 }) }]);
    const connections = await api<{ connections: { name: string; id: string }[] }>('/api/connections/kafka');
    const kusto = await api<{ connections: { name: string; id: string }[] }>('/api/connections/kusto');
    const columns = [
      { name: 'Id', type: 'long', path: '$.id' },
      { name: 'Amount', type: 'real', path: '$.amount' },
    ];
    const created = await api<{ connector: { id: string } }>('/api/connectors', {
      name: 'shop-events',
      kafkaConnectionId: connections.connections.find((connection) => connection.name === 'local-kafka')!.id,
      kustoConnectionId: kusto.connections.find((connection) => connection.name === 'local-kusto')!.id,
      source: { topics: [orders, refunds], startFrom: 'earliest' },
      format: 'json',
      target: { database: 'shopdb', table: 'Orders', mappingName: 'orders_mapping', columns },
      routes: [{ topics: [refunds], target: { database: 'shopdb', table: 'Refunds', mappingName: 'refunds_mapping', columns } }],
      ingestion: { mode: 'streaming' },
      flush: { maxRecords: 100, maxBytes: 1_048_576, maxAgeMs: 200 },
    });
    const id = created.connector.id;
    await waitFor(async () => {
      expect(await kustoRows(stack.engineUrl, 'shopdb', 'Orders')).toHaveLength(2);
      expect(await kustoRows(stack.engineUrl, 'shopdb', 'Refunds')).toHaveLength(1);
    }, { timeoutMs: 90_000, intervalMs: 500 });
    await produce(orders, [{ value: JSON.stringify({ id: 3, amount: 30, level: 'vip' }) }]);

    const page = await signedInPage(browser.browser, stack, 'admin', { width: 1440, height: 900 });
    try {
      await page.goto(`${stack.webUrl}/connectors/${id}`);
      await page.getByTestId(`topic-${orders}`).waitFor({ timeout: 30_000 });
      await waitFor(async () => {
        expect((await page.getByTestId(`topic-${orders}`).locator('td').allInnerTexts()).slice(0, 2)).toEqual([orders, 'Orders']);
        expect((await page.getByTestId(`topic-${refunds}`).locator('td').allInnerTexts()).slice(0, 5)).toEqual([refunds, 'Refunds', '1', '0', '1']);
      }, { timeoutMs: 30_000, intervalMs: 500 });

      const proposal = page.getByTestId('schema-changes');
      await proposal.waitFor({ timeout: 30_000 });
      expect(await textOf(proposal)).toContain('shopdb.Orders has no column for $.level');
      expect(await textOf(proposal)).toContain("['Level']:string");
      await screenshot(page, '4-connector-topics-proposal');
      await proposal.getByRole('button', { name: 'Add the column (new revision)' }).click();
      // Applied, the proposal is gone: the mapping now reads the field.
      await eventually(async () => expect(await proposal.count()).toBe(0), 30_000);
      expect((await api<{ connector: { revision: number } }>(`/api/connectors/${id}`)).connector.revision).toBe(2);
      await produce(orders, [{ value: JSON.stringify({ id: 4, amount: 40, level: 'gold' }) }]);
      await waitFor(async () => expect(await kustoRows<{ Level: string }>(stack.engineUrl, 'shopdb', 'Orders | where Id == 4 | project Level')).toEqual([{ Level: 'gold' }]), { timeoutMs: 90_000, intervalMs: 500 });
      await screenshot(page, '5-connector-after-apply');
    } catch (error) {
      await screenshot(page, 'failure-topics');
      throw error;
    }
  });
});
