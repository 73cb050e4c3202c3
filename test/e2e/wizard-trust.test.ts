import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REFERENCE_EVENTS } from '../../lib/demo/gameplay';
import { ARTIFACTS_DIR, eventually, launchBrowser, signedInPage, textOf, wizardNextButton } from '../support/browser';
import { createTestDatabase, createTopic, produce, uniqueName, type TestDatabase } from '../support/harness';
import { createEngineDatabase, kustoMgmt } from '../support/kusto-engine';
import { startStack, stackFetch, type TestStack } from '../support/stack';

/**
 * What makes the wizard trustworthy on real topics and a real cluster: a sample with a few
 * undecodable messages still yields columns (and says which messages, why, and what the error
 * policy will do); the target's databases and tables are listed from the cluster, a database it
 * does not have is flagged; a field is red only after the user left it or pressed Next; an
 * imported configuration keeps its topic once the connection is chosen.
 */
let database: TestDatabase;
let stack: TestStack;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
const mixedTopic = uniqueName('mixed-events');
const garbageTopic = uniqueName('garbage');
const BAD_OFFSETS = [7, 19, 38, 61, 88];

beforeAll(async () => {
  database = await createTestDatabase();
  await createTopic(mixedTopic, 1);
  // 100 records on one partition: JSON game events, and five that are not JSON at these offsets.
  let good = 0;
  await produce(
    mixedTopic,
    Array.from({ length: 100 }, (_, offset) =>
      BAD_OFFSETS.includes(offset) ? { key: 'bad', value: `not json #${offset}` } : { key: String(offset), value: JSON.stringify({ ...REFERENCE_EVENTS[good++ % REFERENCE_EVENTS.length], seq: offset }) },
    ),
  );
  await createTopic(garbageTopic, 1);
  await produce(garbageTopic, Array.from({ length: 10 }, (_, index) => ({ value: `plain text line ${index}` })));
  stack = await startStack('wizard-trust', database, { KASTOR_DEMO: 'off' });
  // The cluster as an admin left it: gamesdb exists with one table.
  await createEngineDatabase(stack.engineUrl, 'gamesdb');
  await kustoMgmt(stack.engineUrl, 'gamesdb', '.create table GameScores (PlayerID:int, Score:int)');
  browser = await launchBrowser(stack);
}, 360_000);

afterAll(async () => {
  await browser?.close();
  await stack?.service.stop();
  await database?.drop();
});

function screenshot(page: Page, name: string, fullPage = true) {
  return page.screenshot({ path: path.join(ARTIFACTS_DIR, `wizard-trust-${name}.png`), fullPage });
}

async function heading(page: Page): Promise<string> {
  return textOf(page.getByRole('heading', { level: 2 }));
}

/** Field errors and red controls on the page. */
async function shownErrors(page: Page): Promise<{ messages: string[]; invalid: number }> {
  return {
    messages: await page.locator('[data-testid$="-error"]').allInnerTexts(),
    invalid: await page.locator('[aria-invalid="true"]').count(),
  };
}

async function chooseOption(page: Page, label: string, text: string) {
  const value = await page.getByLabel(label, { exact: true }).locator('option', { hasText: text }).getAttribute('value');
  await page.getByLabel(label, { exact: true }).selectOption(value!);
}

/** A new wizard as a signed-in admin; the page as it stood is kept when a step fails. */
async function inNewWizard(failureName: string, steps: (page: Page) => Promise<void>): Promise<void> {
  const page = await signedInPage(browser.browser, stack, 'admin');
  try {
    await page.goto(`${stack.webUrl}/connectors/new`);
    await page.getByRole('heading', { name: '1. Source' }).waitFor();
    await steps(page);
  } catch (error) {
    await screenshot(page, failureName);
    throw error;
  }
}

describe('the wizard on real topics and a real cluster', () => {
  it('infers from the messages that decode, lists the cluster, and shows errors only after touch or Next', () =>
    inNewWizard('failure', async (page) => {
      // 1 Source: nothing is red on arrival; Next names what is missing and stays.
      expect(await shownErrors(page)).toEqual({ messages: [], invalid: 0 });
      await screenshot(page, '1-source-untouched');
      await wizardNextButton(page).click();
      await eventually(async () => expect(await textOf(page.getByTestId('kafka-connection-error'))).toBe('Choose a Kafka connection'));
      expect(await heading(page)).toBe('1. Source');
      expect(await textOf(page.getByTestId('step-blocker'))).toBe('1 field needs attention');
      await screenshot(page, '1-source-next-empty');
      await chooseOption(page, 'Connection', 'local-kafka');
      await page.getByLabel(mixedTopic, { exact: true }).check();
      await page.getByTestId('kafka-connection-error').waitFor({ state: 'detached' });
      await wizardNextButton(page).click();

      // 2 Sample: 95 JSON events and 5 that are not; the five are named with the reason, Next stays enabled.
      await page.getByRole('heading', { name: '2. Sample' }).waitFor();
      await page.getByLabel('Messages', { exact: true }).selectOption('100');
      await eventually(async () => expect(await page.getByTestId('sample-message').count()).toBe(100), 30_000);
      await eventually(async () => expect(await textOf(page.getByTestId('sample-format'))).toBe('json'));
      const failures = page.getByTestId('decode-failures');
      await eventually(async () => expect(await textOf(failures)).toContain('5 messages could not be decoded'));
      const failureText = await textOf(failures);
      expect(failureText).toContain(`partition 0, offset ${BAD_OFFSETS[0]}: value is not valid JSON`);
      expect(failureText).toContain(`partition 0, offset ${BAD_OFFSETS[2]}`);
      expect(failureText).toContain('…and 2 more');
      expect(failureText).toContain('inferred from the 95 that decode');
      expect(await page.getByTestId('sample-message-failure').count()).toBe(5);
      expect(await textOf(page.getByTestId('sample-counts'))).toBe('100 messages · 95 decoded');
      expect(await wizardNextButton(page).isEnabled()).toBe(true);
      await failures.scrollIntoViewIfNeeded();
      await screenshot(page, '2-sample-partial', false);
      await page.getByRole('button', { name: 'Skip such records' }).click();
      await eventually(async () => expect(await textOf(failures)).toContain('The error policy skips records like these'));
      await wizardNextButton(page).click();

      // 3 Schema: the columns come from the 95 that decode.
      await page.getByRole('heading', { name: '3. Schema' }).waitFor();
      await page.getByTestId('column-row-5').waitFor();
      const names = await page.locator('[data-testid^="column-row-"] input[aria-label^="Name of"]').evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value));
      expect(names).toEqual(['PlayerID', 'GameID', 'Win', 'Score', 'EventTime', 'Seq']);
      await wizardNextButton(page).click();

      // 4 Target: untouched required fields are not red; Next shows them.
      await page.getByRole('heading', { name: '4. Target' }).waitFor();
      expect(await shownErrors(page)).toEqual({ messages: [], invalid: 0 });
      await screenshot(page, '4-target-untouched');
      await wizardNextButton(page).click();
      await eventually(async () => expect(await textOf(page.getByTestId('kusto-connection-error'))).toBe('Choose a Kusto connection'));
      expect(await textOf(page.getByTestId('database-error'))).toBe('is required');
      expect(await heading(page)).toBe('4. Target');
      // Focus went to the first field that needs attention.
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('kusto-connection');
      await screenshot(page, '4-target-next-empty');

      // The database picker lists what the cluster has.
      await chooseOption(page, 'Kusto connection', 'local-kusto');
      const databaseInput = page.getByRole('combobox', { name: 'Database' });
      await databaseInput.click();
      await eventually(async () => expect(await page.getByRole('listbox', { name: 'Databases on this cluster' }).getByRole('option').allInnerTexts()).toContain('gamesdb'));
      await screenshot(page, '4-target-database-list');

      // A database the cluster does not have is flagged: Kastor cannot create one.
      await databaseInput.fill('nosuchdb');
      await databaseInput.blur();
      await eventually(async () => expect(await textOf(page.getByTestId('database-error'))).toContain('nosuchdb is not on this cluster'));
      expect(await textOf(page.getByTestId('database-error'))).toContain('It must exist');
      await wizardNextButton(page).click();
      expect(await heading(page)).toBe('4. Target');
      await screenshot(page, '4-target-database-missing');

      // Picked from the list; then the tables of gamesdb.
      await databaseInput.fill('games');
      await page.getByRole('option', { name: 'gamesdb' }).click();
      expect(await databaseInput.inputValue()).toBe('gamesdb');
      await page.getByTestId('database-error').waitFor({ state: 'detached' });
      const tableInput = page.getByRole('combobox', { name: 'Table' });
      await tableInput.fill('');
      await eventually(async () => expect(await page.getByRole('listbox', { name: 'Tables of gamesdb' }).getByRole('option').allInnerTexts()).toEqual(['GameScores']));
      await tableInput.fill('MixedEvents');
      await tableInput.blur();
      await eventually(async () => expect(await textOf(page.getByTestId('table-state'))).toContain('New table: Create makes it'));
      await tableInput.click();
      await tableInput.fill('');
      await page.getByRole('option', { name: 'GameScores' }).click();
      await eventually(async () => expect(await textOf(page.getByTestId('table-state'))).toContain('Exists: Create merges the columns into it'));
      await eventually(async () => expect(await textOf(page.getByTestId('target-check'))).toContain('Create adds 4 missing columns'));
      await screenshot(page, '4-target-existing-table');
      await eventually(async () => expect(await wizardNextButton(page).isEnabled()).toBe(true));
      await wizardNextButton(page).click();

      // 5 Policies: the error policy chosen on the Sample step.
      await page.getByRole('heading', { name: '5. Policies' }).waitFor();
      expect(await page.getByRole('radio', { name: 'Skip the record' }).isChecked()).toBe(true);
    }));

  it('lists databases and tables through the API, and refuses a malformed database name naming the field', async () => {
    const { connections } = (await (await stackFetch(stack, '/api/connections/kusto')).json()) as { connections: { id: string; name: string }[] };
    const localKusto = connections.find((connection) => connection.name === 'local-kusto')!;
    const databases = await stackFetch(stack, `/api/connections/kusto/${localKusto.id}/databases`);
    expect(databases.status).toBe(200);
    expect(((await databases.json()) as { databases: { name: string }[] }).databases.map((entry) => entry.name)).toContain('gamesdb');
    const tables = await stackFetch(stack, `/api/connections/kusto/${localKusto.id}/databases/gamesdb/tables`);
    expect(((await tables.json()) as { tables: { name: string }[] }).tables.map((entry) => entry.name)).toContain('GameScores');
    const malformed = await stackFetch(stack, `/api/connections/kusto/${localKusto.id}/databases/${encodeURIComponent('games db')}/tables`);
    expect(malformed.status).toBe(422);
    expect(((await malformed.json()) as { error: { issues: { field: string }[] } }).error.issues.map((issue) => issue.field)).toEqual(['database']);
  });

  it('blocks the Sample step only when no message decodes', () =>
    inNewWizard('failure-none-decodes', async (page) => {
      // A new Kafka connection is added with the Connections page's editor, its test included.
      await page.getByRole('button', { name: 'Add Kafka connection' }).click();
      const editor = page.getByTestId('kafka-connection-form');
      await editor.getByRole('button', { name: 'Test connection' }).waitFor();
      expect(await editor.getByLabel('Security protocol').inputValue()).toBe('PLAINTEXT');
      await screenshot(page, '1-source-add-connection');
      await editor.getByRole('button', { name: 'Cancel' }).click();
      await editor.waitFor({ state: 'detached' });
      await chooseOption(page, 'Connection', 'local-kafka');
      await page.getByLabel(garbageTopic, { exact: true }).check();
      await wizardNextButton(page).click();
      await page.getByRole('heading', { name: '2. Sample' }).waitFor();
      await eventually(async () => expect(await textOf(page.getByTestId('sample-error'))).toContain('No message is a JSON object, a CSV line or Confluent-framed Avro'));
      expect(await textOf(page.getByTestId('sample-format'))).toBe('unknown');
      expect(await wizardNextButton(page).isDisabled()).toBe(true);
      await screenshot(page, '2-sample-none-decodes');
    }));

  it('keeps the imported topic once the Kafka connection is chosen', () =>
    inNewWizard('failure-import', async (page) => {
      const config = {
        name: 'mixed-to-adx',
        config: {
          'connector.class': 'com.microsoft.azure.kusto.kafka.connect.sink.KustoSinkConnector',
          topics: mixedTopic,
          'kusto.tables.topics.mapping': `[{'topic': '${mixedTopic}','db': 'gamesdb', 'table': 'MixedEvents','format': 'json', 'mapping':'mixed_json_mapping'}]`,
        },
      };
      await page.getByText('Import from Kafka Connect').click();
      await page.getByLabel(/Kusto sink connector configuration/).fill(JSON.stringify(config));
      await page.getByRole('button', { name: 'Import', exact: true }).click();
      await eventually(async () => expect(await textOf(page.getByTestId('import-result'))).toContain(`Prefilled from topic ${mixedTopic}`));
      expect(await textOf(page.getByTestId('import-result'))).toContain('choose the Kafka connection');
      await chooseOption(page, 'Connection', 'local-kafka');
      await eventually(async () => expect(await page.getByLabel(mixedTopic, { exact: true }).isChecked()).toBe(true));
      await screenshot(page, '1-import-keeps-topic');
      await wizardNextButton(page).click();
      await page.getByRole('heading', { name: '2. Sample' }).waitFor();
      await eventually(async () => expect(await page.getByTestId('sample-message').count()).toBeGreaterThan(0));
    }));
});
