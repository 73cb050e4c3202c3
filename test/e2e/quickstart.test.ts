import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPortAnswering } from '../../services/free-port';
import { ARTIFACTS_DIR, launchBrowser, signedInPage } from '../support/browser';
import { createTestDatabase, kustoCount, waitFor, type TestDatabase } from '../support/harness';
import { startStack, type TestStack } from '../support/stack';

/**
 * README command 1 as a user sees it: the launcher brings up engine, worker, web and the
 * gameplay demo; the overview shows the connector running with rows rising and lag near 0, and
 * once the producer stops the rows the UI reports equal `GamePlay | count` on the engine.
 */
let database: TestDatabase;
let stack: TestStack;
let browser: Awaited<ReturnType<typeof launchBrowser>>;

beforeAll(async () => {
  database = await createTestDatabase();
  stack = await startStack('quickstart', database, { KASTOR_DEMO_EVENTS_PER_SECOND: '40', KASTOR_DEMO_SECONDS: '20' });
  browser = await launchBrowser(stack);
}, 360_000);

afterAll(async () => {
  await browser?.close();
  await stack?.service.stop();
  await database?.drop();
});

async function cell(page: Page, testId: string): Promise<string> {
  return (await page.getByTestId('connector-row-gameplay').getByTestId(testId).innerText()).trim();
}

function count(text: string): number {
  return Number(text.replace(/[^\d.]/g, ''));
}

describe('npm start', () => {
  it('shows the gameplay connector running, rows rising, lag near 0, and the UI count matches the target', async () => {
    // The terminal says where Kastor is and how to sign in; the admin's password is the one printed.
    const admin = stack.identity.users.find((user) => user.email === 'admin@kastor.local')!;
    expect(await readFile(stack.logFile, 'utf8')).toContain(`sign in as admin@kastor.local with the password ${admin.password}`);
    const page = await signedInPage(browser.browser, stack, 'admin');
    await page.goto(stack.webUrl);
    await waitFor(async () => expect(await cell(page, 'state')).toMatch(/running/i), { timeoutMs: 120_000, intervalMs: 500 });

    const firstRows = await waitFor(async () => {
      const rows = count(await cell(page, 'rows-total'));
      expect(rows).toBeGreaterThan(0);
      return rows;
    }, { timeoutMs: 60_000 });
    await waitFor(async () => expect(count(await cell(page, 'rows-total'))).toBeGreaterThan(firstRows), { timeoutMs: 15_000 });
    expect(count(await cell(page, 'total-lag'))).toBeLessThan(200);
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'quickstart-overview.png'), fullPage: true });

    await waitFor(async () => expect(await readFile(stack.logFile, 'utf8')).toMatch(/demo producer finished: \d+ events/), { timeoutMs: 60_000, intervalMs: 500 });
    const uiRows = await waitFor(async () => {
      expect(count(await cell(page, 'total-lag'))).toBe(0);
      const rows = count(await cell(page, 'rows-total'));
      expect(rows).toBe(await kustoCount(stack.engineUrl, 'gamesdb', 'GamePlay'));
      return rows;
    }, { timeoutMs: 30_000, intervalMs: 500 });
    console.log(`quickstart: the UI reports ${uiRows} rows, GamePlay | count agrees`);
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'quickstart-drained.png'), fullPage: true });
  });
});

describe('Ctrl-C', () => {
  it('stops every process the launcher started', async () => {
    stack.service.kill('SIGINT');
    expect(await stack.service.exited).toBe(0);
    const log = await readFile(stack.logFile, 'utf8');
    for (const name of ['demo producer', 'web', 'worker', 'Kusto engine']) expect(log).toContain(`✓ stopped ${name}`);
    for (const port of stack.ports) expect(await isPortAnswering(port)).toBe(false);
  });
});
