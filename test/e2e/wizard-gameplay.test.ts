import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GAMEPLAY_TOPIC, REFERENCE_EVENTS, toKafkaMessage } from '../../lib/demo/gameplay';
import { ARTIFACTS_DIR, eventually, launchBrowser, signedInPage, textOf, wizardNextButton } from '../support/browser';
import { createTestDatabase, kafkaBrokers, kustoCount, produce, testKafka, waitFor, type TestDatabase } from '../support/harness';
import { createEngineDatabase } from '../support/kusto-engine';
import { startStack, stackFetch, type TestStack } from '../support/stack';

/**
 * The wizard as a user drives it on an empty install: add a Kafka connection, pick the
 * `gameplay` topic, accept the inferred schema, create, and see the four reference events in
 * GamePlay and on the connector page. On the way, every step refuses invalid input at the
 * field once it was left or Next was pressed, with Next refused and nothing written.
 */
let database: TestDatabase;
let stack: TestStack;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let webUrl: string;
let engineUrl: string;

/** Earlier files of the same run may have left a `gameplay` topic with demo traffic; this test needs exactly its four events. */
async function recreateGameplayTopic(): Promise<void> {
  const admin = testKafka().admin();
  await admin.connect();
  try {
    if ((await admin.listTopics()).includes(GAMEPLAY_TOPIC)) {
      await admin.deleteTopics({ topics: [GAMEPLAY_TOPIC] });
      await waitFor(async () => expect(await admin.listTopics()).not.toContain(GAMEPLAY_TOPIC));
    }
    // Deletion finishes on the broker a little after the topic leaves the list.
    await waitFor(async () => {
      await admin.createTopics({ topics: [{ topic: GAMEPLAY_TOPIC, numPartitions: 4 }], waitForLeaders: true });
      expect((await admin.fetchTopicMetadata({ topics: [GAMEPLAY_TOPIC] })).topics[0].partitions).toHaveLength(4);
    });
  } finally {
    await admin.disconnect();
  }
}

beforeAll(async () => {
  database = await createTestDatabase();
  await recreateGameplayTopic();
  await produce(GAMEPLAY_TOPIC, REFERENCE_EVENTS.map(toKafkaMessage));
  // An empty install: the launcher makes only the local connections, no demo topic or connector.
  stack = await startStack('wizard-gameplay', database, { KASTOR_DEMO: 'off' });
  ({ webUrl, engineUrl } = stack);
  // The cluster as its admin left it: an empty gamesdb (Kastor creates tables, not databases).
  await createEngineDatabase(engineUrl, 'gamesdb');
  browser = await launchBrowser(stack);
}, 360_000);

afterAll(async () => {
  await browser?.close();
  await stack?.service.stop();
  await database?.drop();
});

function screenshot(page: Page, name: string) {
  return page.screenshot({ path: path.join(ARTIFACTS_DIR, `wizard-${name}.png`), fullPage: true });
}

async function connectorsSaved(): Promise<unknown[]> {
  const response = await stackFetch(stack, '/api/connectors');
  return ((await response.json()) as { connectors: unknown[] }).connectors;
}

/** The reference scenario's hand-built Kafka Connect configuration (SCENARIO-gameplay.md). */
const KAFKA_CONNECT_CONFIG = JSON.stringify({
  name: 'gameplay-to-adx',
  config: {
    'connector.class': 'com.microsoft.azure.kusto.kafka.connect.sink.KustoSinkConnector',
    topics: 'gameplay',
    'tasks.max': '4',
    'kusto.ingestion.url': 'https://ingest-mycluster.westeurope.kusto.windows.net',
    'kusto.query.url': 'https://mycluster.westeurope.kusto.windows.net',
    'aad.auth.authority': '<tenant id>',
    'aad.auth.appid': '<app id>',
    'aad.auth.appkey': '<secret>',
    'kusto.tables.topics.mapping': "[{'topic': 'gameplay','db': 'gamesdb', 'table': 'GamePlay','format': 'json', 'mapping':'gameplay_json_mapping', 'streaming': 'false'}]",
    'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'key.converter.schemas.enable': 'false',
    'value.converter.schemas.enable': 'false',
    'flush.size.bytes': '1048576',
    'flush.interval.ms': '30000',
    'behavior.on.error': 'fail',
    'security.protocol': 'SASL_SSL',
    'sasl.mechanism': 'PLAIN',
    'sasl.jaas.config': 'org.apache.kafka.common.security.plain.PlainLoginModule required username="<key>" password="<secret>";',
  },
}, null, 2);

/** Next with fields that need attention stays on the step and says so. */
async function expectNextRefused(page: Page, step: string) {
  await wizardNextButton(page).click();
  await page.getByRole('heading', { name: step }).waitFor();
  expect(await textOf(page.getByTestId('step-blocker'))).toMatch(/needs? attention$/);
}

function newPage(): Promise<Page> {
  return signedInPage(browser.browser, stack, 'admin');
}

describe('the mapping wizard', () => {
  it('takes the gameplay topic of an empty install to a running connector, refusing invalid input at every step', async () => {
    const page = await newPage();
    try {
      // The empty install: the launcher made only the two local connections, no connector.
      expect(await connectorsSaved()).toEqual([]);
      await page.goto(`${webUrl}/connectors/new`);
      await page.getByRole('heading', { name: '1. Source' }).waitFor();

      // 1 Source: a new Kafka connection, then its topics.
      await page.getByRole('button', { name: 'Add Kafka connection' }).click();
      await page.getByLabel('Name', { exact: true }).fill('game-kafka');
      await page.getByLabel('Bootstrap brokers').fill(kafkaBrokers().join(', '));
      await page.getByRole('button', { name: 'Save connection' }).click();
      await eventually(async () => expect(await page.getByLabel('Connection', { exact: true }).inputValue()).toMatch(/[0-9a-f-]{36}/));
      expect(await page.getByLabel('Connection', { exact: true }).locator('option:checked').innerText()).toContain('game-kafka');
      const topicRow = page.getByTestId(`topic-row-${GAMEPLAY_TOPIC}`);
      await topicRow.waitFor();
      expect((await topicRow.locator('td').allInnerTexts()).map((text) => text.trim())).toEqual([GAMEPLAY_TOPIC, '4', '4']);

      // Invalid: no topic chosen — said once Next is pressed, not before.
      expect(await page.getByTestId('topic-error').count()).toBe(0);
      await expectNextRefused(page, '1. Source');
      await eventually(async () => expect(await textOf(page.getByTestId('topic-error'))).toBe('Choose a topic'));
      await screenshot(page, '1-source-no-topic');
      await page.getByLabel(GAMEPLAY_TOPIC, { exact: true }).check();
      await page.getByTestId('topic-error').waitFor({ state: 'detached' });
      await screenshot(page, '1-source');
      await wizardNextButton(page).click();

      // 2 Sample: the four events, raw and pretty.
      await page.getByRole('heading', { name: '2. Sample' }).waitFor();
      await waitFor(async () => expect(await page.getByTestId('sample-message').count()).toBe(4));
      await eventually(async () => expect(await textOf(page.getByTestId('sample-format'))).toBe('json'));
      const keys = await page.getByTestId('sample-message').evaluateAll((items) => items.map((item) => item.querySelector('dl')?.textContent ?? ''));
      expect(keys.map((text) => /Key(\d+)/.exec(text)?.[1]).sort()).toEqual(['33', '34', '38', '45']);
      await screenshot(page, '2-sample-pretty');
      await page.getByRole('button', { name: 'Raw' }).click();
      await page.getByText(JSON.stringify(REFERENCE_EVENTS[0]), { exact: true }).waitFor();
      await screenshot(page, '2-sample-raw');
      await wizardNextButton(page).click();

      // 3 Schema: the inferred columns.
      await page.getByRole('heading', { name: '3. Schema' }).waitFor();
      await page.getByTestId('column-row-4').waitFor();
      const inferred = await page.locator('[data-testid^="column-row-"]').evaluateAll((rows) =>
        rows.map((row) => {
          const [name, path] = [...row.querySelectorAll('input')].map((input) => input.value);
          return `${name}:${row.querySelector('select')?.value}:${path}`;
        }),
      );
      expect(inferred).toEqual(['PlayerID:int:$.playerId', 'GameID:int:$.gameId', 'Win:long:$.win', 'Score:int:$.score', 'EventTime:datetime:$.eventTime']);
      await waitFor(async () => expect(await page.getByTestId('mapping-preview').locator('tbody tr').count()).toBe(4));
      await page.getByTestId('preview-null').waitFor({ state: 'detached' });
      await screenshot(page, '3-schema');

      // Invalid: two columns named alike.
      await page.getByLabel('Name of Score').fill('PlayerID');
      await page.getByLabel('Name of PlayerID').nth(1).blur();
      await eventually(async () => expect(await textOf(page.getByTestId('column-3-name-error'))).toBe('duplicate column name "PlayerID"'));
      await expectNextRefused(page, '3. Schema');
      await screenshot(page, '3-schema-duplicate');

      // The draft survives a reload, unfinished input included.
      await page.reload();
      await page.getByRole('heading', { name: '3. Schema' }).waitFor();
      await eventually(async () => expect(await textOf(page.getByTestId('column-3-name-error'))).toBe('duplicate column name "PlayerID"'));
      await page.getByRole('row').filter({ has: page.getByTestId('column-3-name-error') }).getByRole('textbox').first().fill('Score');
      await page.getByTestId('column-3-name-error').waitFor({ state: 'detached' });
      await wizardNextButton(page).click();

      // 4 Target: the local engine, a new table.
      await page.getByRole('heading', { name: '4. Target' }).waitFor();
      await eventually(async () => expect(await page.getByLabel('Connector name').inputValue()).toBe('gameplay'));
      const localKusto = await page.locator('#kusto-connection option', { hasText: 'local-kusto' }).getAttribute('value');
      await page.getByLabel('Kusto connection').selectOption(localKusto!);
      await page.getByLabel('Database').fill('gamesdb');
      await page.getByLabel('Table', { exact: true }).fill('Game Play');
      await page.getByLabel('Table', { exact: true }).blur();
      await eventually(async () => expect(await textOf(page.getByTestId('table-error'))).toContain('must start with a letter or _'));
      await expectNextRefused(page, '4. Target');
      await screenshot(page, '4-target-invalid-table');
      await page.getByLabel('Table', { exact: true }).fill('GamePlay');
      await page.getByLabel('JSON ingestion mapping').fill('gameplay_json_mapping');
      await eventually(async () => expect(await textOf(page.getByTestId('target-check'))).toContain('does not exist yet'));
      await eventually(async () => expect(await wizardNextButton(page).isEnabled()).toBe(true));
      await screenshot(page, '4-target');
      await wizardNextButton(page).click();

      // 5 Policies: the scenario's batching, after a time span below the ADX minimum is refused.
      await page.getByRole('heading', { name: '5. Policies' }).waitFor();
      await page.getByLabel('Maximum batching time span').fill('00:00:05');
      await page.getByLabel('Maximum batching time span').blur();
      await eventually(async () => expect(await textOf(page.getByTestId('batching-time-span-error'))).toBe('must be between 00:00:10 and 00:30:00 (ADX limits)'));
      await expectNextRefused(page, '5. Policies');
      await screenshot(page, '5-policies-invalid');
      await page.getByLabel('Maximum batching time span').fill('00:00:10');
      await page.getByLabel('Maximum number of items').fill('5');
      await page.getByLabel('Maximum raw data size (MB)').fill('100');
      await page.getByLabel('Age (ms)').fill('500');
      await screenshot(page, '5-policies');
      // Back keeps every input.
      await page.getByRole('button', { name: '← Back' }).click();
      await eventually(async () => expect(await page.getByLabel('Table', { exact: true }).inputValue()).toBe('GamePlay'));
      await wizardNextButton(page).click();
      await eventually(async () => expect(await page.getByLabel('Maximum number of items').inputValue()).toBe('5'));
      await wizardNextButton(page).click();

      // Nothing was written while the input was invalid.
      expect(await connectorsSaved()).toEqual([]);

      // 6 Review: the exact KQL, then Create.
      await page.getByRole('heading', { name: '6. Review' }).waitFor();
      await page.getByTestId('planned-command').first().waitFor();
      const commands = await page.getByTestId('planned-command').locator('pre').allInnerTexts();
      expect(commands[0]).toBe(".create-merge table ['GamePlay'] (['PlayerID']:int, ['GameID']:int, ['Win']:long, ['Score']:int, ['EventTime']:datetime)");
      expect(commands.join('\n')).toContain('"MaximumBatchingTimeSpan":"00:00:10"');
      await screenshot(page, '6-review');
      await page.getByRole('button', { name: 'Create connector' }).click();

      // One request ran the KQL and saved; the page lists what it did before it opens the connector.
      await page.getByTestId('save-steps').waitFor();
      await screenshot(page, '6-review-created');
      const steps = page.getByTestId('save-step');
      expect(await steps.evaluateAll((items) => items.map((item) => `${item.getAttribute('data-step')} ${item.getAttribute('data-purpose')} ${item.getAttribute('data-status')}`))).toEqual([
        'plan the definition and its KQL done',
        'apply table done',
        'apply mapping done',
        'apply batching policy done',
        'apply streaming policy done',
        'save connector gameplay done',
      ]);
      expect(await steps.first().innerText()).toContain('✓ done');

      try {
        await page.waitForURL(/\/connectors\/[0-9a-f-]{36}$/, { timeout: 60_000 });
        await waitFor(async () => expect(await kustoCount(engineUrl, 'gamesdb', 'GamePlay')).toBe(4), { timeoutMs: 90_000, intervalMs: 500 });
        await waitFor(async () => expect(await textOf(page.getByTestId('rows-total'))).toBe('4'), { timeoutMs: 60_000, intervalMs: 500 });
        await eventually(async () => expect(await page.getByTestId('connector-state').getAttribute('data-actual-state')).toBe('RUNNING'));
      } finally {
        await screenshot(page, '7-connector');
      }
      expect(await connectorsSaved()).toHaveLength(1);

      // Edit through the same steps, on a narrow window: saving makes revision 2.
      const connectorUrl = page.url();
      await page.setViewportSize({ width: 420, height: 900 });
      await page.goto(`${connectorUrl}/edit`);
      await page.getByRole('heading', { name: '1. Source' }).waitFor();
      await screenshot(page, '8-edit-narrow-source');
      for (const step of ['2. Sample', '3. Schema', '4. Target', '5. Policies']) {
        await wizardNextButton(page).click();
        await page.getByRole('heading', { name: step }).waitFor();
      }
      // Nothing changed yet: the Review says so and there is nothing to save.
      await page.getByRole('button', { name: /^Next:/ }).click();
      await page.getByRole('heading', { name: '6. Review' }).waitFor();
      await eventually(async () => expect(await textOf(page.getByTestId('definition-changes'))).toBe('No changes against revision 1; there is nothing to save.'));
      expect(await page.getByRole('button', { name: 'Save revision' }).isDisabled()).toBe(true);
      await screenshot(page, '8-edit-no-changes');
      await page.getByRole('button', { name: '← Back' }).click();
      await page.getByRole('heading', { name: '5. Policies' }).waitFor();
      await page.getByLabel('Maximum number of items').fill('10');
      await page.getByRole('button', { name: /^Next:/ }).click();
      await page.getByRole('heading', { name: '6. Review' }).waitFor();
      await page.getByTestId('planned-command').first().waitFor();
      // The diff against the running revision names the one field that changes.
      const changed = page.getByTestId('definition-change');
      await eventually(async () => expect(await changed.evaluateAll((items) => items.map((item) => item.getAttribute('data-path')))).toEqual(['ingestion.batching.maxItems']));
      expect(await textOf(changed)).toBe('ingestion.batching.maxItems: 5 → 10');
      await screenshot(page, '8-edit-narrow-review');
      await page.getByRole('button', { name: 'Save revision' }).click();
      await page.getByTestId('save-steps').waitFor();
      expect(await page.getByTestId('save-step').last().getAttribute('data-status')).toBe('done');
      await screenshot(page, '8-edit-saved');
      await page.waitForURL(connectorUrl, { timeout: 60_000 });
      const saved = (await (await stackFetch(stack, `/api/connectors/${connectorUrl.split('/').pop()}`)).json()) as {
        connector: { revision: number; definition: { ingestion: { batching: { maxItems: number } } } };
      };
      expect(saved.connector.revision).toBe(2);
      expect(saved.connector.definition.ingestion.batching.maxItems).toBe(10);
    } catch (error) {
      await screenshot(page, 'failure');
      throw error;
    }
  });
  it('prefills the wizard from a Kafka Connect Kusto sink configuration, listing what it does not carry over', async () => {
    const page = await newPage();
    try {
      await page.goto(`${webUrl}/connectors/new`);
      await page.getByRole('heading', { name: '1. Source' }).waitFor();
      const gameKafka = await page.locator('#kafka-connection option', { hasText: 'game-kafka' }).getAttribute('value');
      await page.getByLabel('Connection', { exact: true }).selectOption(gameKafka!);
      await page.getByText('Import from Kafka Connect').click();
      await page.getByLabel(/Kusto sink connector configuration/).fill(KAFKA_CONNECT_CONFIG);
      await page.getByRole('button', { name: 'Import', exact: true }).click();
      await page.getByTestId('import-result').waitFor();
      expect(await page.getByTestId('unsupported-key').count()).toBeGreaterThan(0);
      expect(await page.getByTestId('import-result').innerText()).not.toContain('<secret>');
      await eventually(async () => expect(await page.getByLabel(GAMEPLAY_TOPIC, { exact: true }).isChecked()).toBe(true));
      await screenshot(page, '9-import');

      for (const step of ['2. Sample', '3. Schema', '4. Target']) {
        await wizardNextButton(page).click();
        await page.getByRole('heading', { name: step }).waitFor();
      }
      expect(await page.getByLabel('Connector name').inputValue()).toBe('gameplay-to-adx');
      expect(await page.getByLabel('Database').inputValue()).toBe('gamesdb');
      expect(await page.getByLabel('Table', { exact: true }).inputValue()).toBe('GamePlay');
      const localKusto = await page.locator('#kusto-connection option', { hasText: 'local-kusto' }).getAttribute('value');
      await page.getByLabel('Kusto connection').selectOption(localKusto!);
      // GamePlay exists by now: its schema is read from the engine and matches the inferred columns.
      await eventually(async () => expect(await textOf(page.getByTestId('target-check'))).toContain('Every column matches the table.'));
      await screenshot(page, '9-import-target-existing');
      await wizardNextButton(page).click();
      await page.getByRole('heading', { name: '5. Policies' }).waitFor();
      // The sink's 'streaming': 'false' is queued ingestion, ADX's default.
      expect(await page.getByRole('radio', { name: 'Queued', exact: true }).isChecked()).toBe(true);
      expect(await page.getByLabel('Age (ms)').inputValue()).toBe('30000');
    } catch (error) {
      await screenshot(page, 'import-failure');
      throw error;
    }
  });
});
