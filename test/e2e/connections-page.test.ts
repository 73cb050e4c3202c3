import path from 'node:path';
import { Client as KustoClient } from 'azure-kusto-data';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS_DIR, eventually, launchBrowser, signedInPage, textOf } from '../support/browser';
import { createTestDatabase, waitFor, type TestDatabase } from '../support/harness';
import { startStack, stackFetch, type TestStack } from '../support/stack';

/**
 * The connections page in Chromium at 1440 px, on the whole stack with the demo: add a Kusto
 * connection with an application key (the tenant is required; the key is shown only as "set",
 * also after an edit), test the local engine's connection (it has no authentication, so that is
 * the one that can answer here), and try to delete a connection the gameplay connector uses.
 */
let database: TestDatabase;
let stack: TestStack;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;

const APP_KEY = 'e2e-app-key-never-shown';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

beforeAll(async () => {
  database = await createTestDatabase();
  stack = await startStack('connections-page', database, { KASTOR_DEMO_EVENTS_PER_SECOND: '5' });
  browser = await launchBrowser(stack);
  page = await signedInPage(browser.browser, stack, 'admin', { width: 1440, height: 1000 });
  page.on('pageerror', (error) => console.error(`connections page error: ${error.message}`));
}, 360_000);

afterAll(async () => {
  await browser?.close();
  await stack?.service.stop();
  await database?.drop();
});

function screenshot(name: string) {
  return page.screenshot({ path: path.join(ARTIFACTS_DIR, `connections-${name}.png`), fullPage: true });
}

async function engineDatabases(): Promise<string[]> {
  const client = new KustoClient(stack.engineUrl);
  try {
    const response = await client.executeMgmt('gamesdb', '.show databases');
    return response.primaryResults[0].toJSON<{ DatabaseName: string }>().data.map((row) => row.DatabaseName);
  } finally {
    client.close();
  }
}

describe('connections page', () => {
  it('adds a Kusto connection with an application key: ingest URL derived, tenant required, key only "set"', async () => {
    await page.goto(`${stack.webUrl}/connections`);
    await page.getByTestId('kusto-connection-local-kusto').waitFor();
    await page.getByRole('button', { name: 'Add Kusto connection' }).click();
    const form = page.getByTestId('kusto-connection-form');
    await form.getByLabel('Name').fill('prod-adx');
    await form.getByLabel('Cluster URL').fill('https://mycluster.westeurope.kusto.windows.net');
    await expect(form.getByLabel('Ingest URL').inputValue()).resolves.toBe('https://ingest-mycluster.westeurope.kusto.windows.net');
    await expect(form.getByLabel('Authentication').inputValue()).resolves.toBe('APPLICATION_KEY');
    await form.getByLabel('Application (client) id').fill('1f0c5a0e-4d6e-4c8f-9a7e-2b3c4d5e6f70');
    await form.getByLabel('Application key').fill(APP_KEY);
    await form.getByLabel('Principal role').selectOption('INGESTOR');
    await form.getByRole('button', { name: 'Save connection' }).click();
    await expect(textOf(form.locator('[id$="-tenant-message"]'))).resolves.toBe('is required for application key authentication');
    await screenshot('1-tenant-required');

    await form.getByLabel('Tenant id').fill(TENANT);
    await form.getByRole('button', { name: 'Save connection' }).click();
    const card = page.getByTestId('kusto-connection-prod-adx');
    await card.waitFor();
    // The form closes once the saved connection is in the list; until then its inputs hold what was typed.
    await form.waitFor({ state: 'detached' });
    await expect(textOf(card.getByTestId('auth-summary'))).resolves.toBe(`Application key · tenant ${TENANT} · app 1f0c5a0e-4d6e-4c8f-9a7e-2b3c4d5e6f70 · key set`);
    await expect(card.getByTestId('principal-role').getAttribute('data-role')).resolves.toBe('INGESTOR');
    await expect(textOf(card)).resolves.toContain('ingest-mycluster.westeurope.kusto.windows.net (derived)');
    expect(await page.content()).not.toContain(APP_KEY);
    expect(await (await stackFetch(stack, '/api/connections/kusto')).text()).not.toContain(APP_KEY);
    await screenshot('2-added');
  });

  it('edits the connection with the key left blank: the key stays set', async () => {
    const card = page.getByTestId('kusto-connection-prod-adx');
    await card.getByTestId('edit-connection').click();
    const form = page.getByRole('form', { name: 'Edit Kusto connection prod-adx' });
    await expect(form.getByLabel('Application key').inputValue()).resolves.toBe('');
    await expect(form.getByLabel('Application key').getAttribute('placeholder')).resolves.toBe('set — leave blank to keep it');
    await form.getByLabel('Application (client) id').fill('2f0c5a0e-4d6e-4c8f-9a7e-2b3c4d5e6f71');
    await screenshot('3-edit');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await eventually(async () => expect(await textOf(card.getByTestId('auth-summary'))).toContain('app 2f0c5a0e-4d6e-4c8f-9a7e-2b3c4d5e6f71 · key set'));
    expect(await page.content()).not.toContain(APP_KEY);
  });

  it('tests the local engine connection against gamesdb: it answers, the database exists, the principal is admin', async () => {
    // The worker creates gamesdb with the gameplay table shortly after start-up.
    await waitFor(async () => expect(await engineDatabases()).toContain('gamesdb'), { timeoutMs: 60_000, intervalMs: 500 });
    const card = page.getByTestId('kusto-connection-local-kusto');
    await card.getByTestId('open-test').click();
    await card.getByLabel('Database').fill('gamesdb');
    await card.getByTestId('run-test').click();
    const steps = card.getByTestId('kusto-test-steps');
    await eventually(async () => expect(await steps.getAttribute('data-ok')).toBe('true'), 30_000);
    for (const step of ['reach', 'database', 'role']) {
      await expect(card.getByTestId(`test-step-${step}`).getAttribute('data-status')).resolves.toBe('passed');
    }
    await expect(textOf(card.getByTestId('test-step-role'))).resolves.toContain('admin — Kastor can create and alter tables');
    await expect(textOf(card.getByTestId('last-test'))).resolves.toMatch(/Last test against gamesdb .*: passed/);
    await screenshot('4-tested');
  });

  it('refuses to delete the connection the gameplay connector uses, naming it; deletes an unused one', async () => {
    const inUse = page.getByTestId('kusto-connection-local-kusto');
    await expect(textOf(inUse.getByTestId('used-by'))).resolves.toBe('gameplay');
    await inUse.getByTestId('delete-connection').click();
    const dialog = inUse.getByTestId('delete-connection-dialog');
    await expect(textOf(dialog.locator('p'))).resolves.toContain('It is used by gameplay');
    await dialog.getByTestId('confirm-delete-connection').click();
    const refusal = inUse.getByRole('alert');
    await refusal.waitFor();
    await expect(textOf(refusal)).resolves.toContain('The Kusto connection "local-kusto" cannot be deleted: connector "gameplay" uses it.');
    await screenshot('5-delete-refused');

    const unused = page.getByTestId('kusto-connection-prod-adx');
    await unused.getByTestId('delete-connection').click();
    await unused.getByTestId('delete-connection-dialog').getByTestId('confirm-delete-connection').click();
    await unused.waitFor({ state: 'detached' });
    await expect(page.getByTestId('kusto-connection-local-kusto').isVisible()).resolves.toBe(true);
  });
});
