import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Client as KustoClient } from 'azure-kusto-data';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS_DIR, launchBrowser, signedInPage } from '../support/browser';
import { createTestDatabase, waitFor, type TestDatabase } from '../support/harness';
import { startStack, type TestStack } from '../support/stack';

/**
 * Operating the gameplay connector from its page, in a real browser against the whole stack
 * (engine, worker, web, demo producer): live charts gain points, pause/resume show their
 * transitional states and move lag and health, and the sample-query panel answers from the target.
 */
let database: TestDatabase;
let stack: TestStack;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;

beforeAll(async () => {
  database = await createTestDatabase();
  // Long enough to pause while records keep arriving; it ends before the query checks counts.
  stack = await startStack('operate-connector', database, { KASTOR_DEMO_EVENTS_PER_SECOND: '40', KASTOR_DEMO_SECONDS: '90' });
  browser = await launchBrowser(stack);
  page = await signedInPage(browser.browser, stack, 'operator', { width: 1400, height: 1000 });
}, 360_000);

afterAll(async () => {
  await browser?.close();
  await stack?.service.stop();
  await database?.drop();
});

async function chartPoints(chart: Locator): Promise<{ points: number; lastValue: number }> {
  const [points, lastValue] = await Promise.all([chart.getAttribute('data-points'), chart.getAttribute('data-last-value')]);
  return { points: Number(points), lastValue: Number(lastValue) };
}

async function health(): Promise<{ status: string | null; reason: string }> {
  const badge = page.getByTestId('connector-health');
  return { status: await badge.getAttribute('data-health'), reason: (await page.getByTestId('health-reason').innerText()).trim() };
}

async function replaceQuery(text: string): Promise<void> {
  await page.getByTestId('kql-editor').locator('.view-lines').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

async function engineQuery(csl: string): Promise<Record<string, unknown>[]> {
  const client = new KustoClient(stack.engineUrl);
  try {
    const response = await client.execute('gamesdb', csl);
    return response.primaryResults[0].toJSON<Record<string, unknown>>().data;
  } finally {
    client.close();
  }
}

describe('connector page', () => {
  it('draws live lag and throughput charts that gain points every couple of seconds', async () => {
    await page.goto(stack.webUrl);
    await page.getByTestId('connector-row-gameplay').getByRole('link', { name: 'gameplay' }).click();
    const lagChart = page.getByTestId('chart-total-lag');
    const rowsChart = page.getByTestId('chart-rows-per-second');
    await waitFor(async () => expect((await chartPoints(rowsChart)).points).toBeGreaterThan(2), { timeoutMs: 120_000, intervalMs: 500 });
    await expect(page.getByTestId('chart-partition-lag').getAttribute('data-points')).resolves.not.toBe('0');
    await expect(page.getByTestId('chart-bytes-per-second').getAttribute('data-points')).resolves.not.toBe('0');

    for (let update = 0; update < 5; update += 1) {
      const [lagBefore, rowsBefore] = [await chartPoints(lagChart), await chartPoints(rowsChart)];
      await waitFor(
        async () => {
          expect((await chartPoints(lagChart)).points).toBeGreaterThan(lagBefore.points);
          expect((await chartPoints(rowsChart)).points).toBeGreaterThan(rowsBefore.points);
        },
        { timeoutMs: 4_000, intervalMs: 100 },
      );
    }
    const rows = await page.getByTestId('chart-rows-per-second').getAttribute('data-last-value');
    expect(Number(rows)).toBeGreaterThan(0);
    expect(await page.locator('[data-testid="chart-total-lag"] canvas').count()).toBe(1);
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'operate-charts.png'), fullPage: true });
  });

  it('pauses and resumes with visible transitions; lag grows while paused and drains after resume', async () => {
    const pause = page.getByTestId('action-pause');
    await waitFor(async () => expect((await health()).status).toBe('OK'), { timeoutMs: 60_000, intervalMs: 500 });
    await pause.click();
    await pause.filter({ hasText: 'Pausing…' }).waitFor({ timeout: 5_000 });
    await pause.filter({ hasText: 'Paused' }).waitFor({ timeout: 30_000 });
    await expect(page.getByTestId('connector-state').getAttribute('data-actual-state')).resolves.toBe('PAUSED');

    const lagChart = page.getByTestId('chart-total-lag');
    const lagAtPause = (await chartPoints(lagChart)).lastValue;
    await waitFor(async () => expect((await chartPoints(lagChart)).lastValue).toBeGreaterThan(lagAtPause + 200), { timeoutMs: 30_000, intervalMs: 500 });
    const paused = await waitFor(
      async () => {
        const current = await health();
        expect(current.status).toBe('PAUSED');
        expect(current.reason).toMatch(/^paused by operator@kastor\.local at .+ UTC; lag \d+ waiting$/);
        return current;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    console.log(`operate: paused health ${paused.status}: ${paused.reason}`);
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'operate-paused.png'), fullPage: true });

    const resume = page.getByTestId('action-resume');
    await resume.click();
    await resume.filter({ hasText: 'Resuming…' }).waitFor({ timeout: 5_000 });
    await waitFor(async () => expect(await page.getByTestId('connector-state').getAttribute('data-actual-state')).toBe('RUNNING'), {
      timeoutMs: 30_000,
      intervalMs: 250,
    });
    await expect(resume.innerText()).resolves.toBe('Resume');
    await expect(pause.innerText()).resolves.toBe('Pause');

    await waitFor(async () => expect(await readFile(stack.logFile, 'utf8')).toMatch(/demo producer finished: \d+ events/), { timeoutMs: 180_000, intervalMs: 1_000 });
    await waitFor(
      async () => {
        expect((await chartPoints(lagChart)).lastValue).toBe(0);
        expect((await health()).status).toBe('OK');
      },
      { timeoutMs: 90_000, intervalMs: 500 },
    );
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'operate-resumed.png'), fullPage: true });
  });
});

describe('sample-query panel', () => {
  it('runs KQL against the target, shows its errors, and completes column names', async () => {
    const expected = await engineQuery('GamePlay | summarize count() by GameID');
    expect(expected.length).toBeGreaterThan(1);
    await page.getByTestId('kql-editor').locator('.monaco-editor').waitFor({ timeout: 60_000 });

    await replaceQuery('GamePlay | summarize count() by GameID');
    await page.keyboard.press('Control+Enter');
    const grid = page.getByTestId('query-results');
    await waitFor(async () => expect(await page.getByTestId('query-row-count').innerText()).toBe(String(expected.length)), { timeoutMs: 30_000 });
    const headers = await grid.locator('th').allInnerTexts();
    expect(headers.map((header) => header.trim())).toEqual(['GameID int', 'count_ long']);
    const shown = await grid.locator('tbody tr').evaluateAll((rows) =>
      rows.map((row) => Array.from(row.querySelectorAll('td'), (cell) => cell.textContent ?? '')),
    );
    const byGame = (rows: [unknown, unknown][]) => rows.map(([game, count]) => `${game}=${count}`).sort();
    expect(byGame(shown as [string, string][])).toEqual(byGame(expected.map((row) => [row.GameID, row.count_])));
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'operate-query.png'), fullPage: true });

    const targetAnswer = await fetch(`${stack.engineUrl}/v1/rest/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ db: 'gamesdb', csl: 'GamePlay | join X' }),
    });
    expect(targetAnswer.ok).toBe(false);
    const targetError = await targetAnswer.text();
    await replaceQuery('GamePlay | join X');
    await page.getByTestId('run-query').click();
    const shownError = page.getByTestId('query-error');
    await shownError.waitFor({ timeout: 30_000 });
    const errorText = (await shownError.locator('pre').innerText()).trim();
    expect(errorText).toMatch(/join/);
    expect(targetError).toContain(errorText);
    console.log(`operate: the target said: ${errorText}`);
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'operate-query-error.png'), fullPage: true });

    await replaceQuery('GamePlay | where ');
    await page.keyboard.press('Control+Space');
    const suggestions = page.locator('.suggest-widget');
    await waitFor(async () => expect(await suggestions.innerText()).toContain('PlayerID'), { timeoutMs: 30_000, intervalMs: 250 });
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'operate-completion.png'), fullPage: true });
  });
});

describe('stopped connector', () => {
  it('resets offsets to the earliest only once stopped, and replays into the target after start', async () => {
    const rowsBefore = Number((await page.getByTestId('target-row-count').innerText()).replace(/\D/g, ''));
    await page.locator('summary', { hasText: 'Reset offsets' }).click();
    await expect(page.getByTestId('reset-offsets').isDisabled()).resolves.toBe(true);

    const stop = page.getByTestId('action-stop');
    await stop.click();
    await stop.filter({ hasText: 'Stopping…' }).waitFor({ timeout: 5_000 });
    await stop.filter({ hasText: 'Stopped' }).waitFor({ timeout: 30_000 });

    await page.getByLabel('Earliest').check();
    await page.getByTestId('reset-offsets').click();
    const outcome = page.getByRole('status').filter({ hasText: 'Offsets reset' });
    await outcome.waitFor({ timeout: 30_000 });
    const lines = (await outcome.locator('li').allInnerTexts()).map((line) => line.trim());
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/^gameplay\/\d+ → 0$/);

    const start = page.getByTestId('action-start');
    await start.click();
    await waitFor(async () => expect(await page.getByTestId('connector-state').getAttribute('data-actual-state')).toBe('RUNNING'), {
      timeoutMs: 30_000,
      intervalMs: 250,
    });
    await waitFor(
      async () => expect(Number((await page.getByTestId('target-row-count').innerText()).replace(/\D/g, ''))).toBeGreaterThanOrEqual(2 * rowsBefore),
      { timeoutMs: 90_000, intervalMs: 1_000 },
    );
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'operate-replayed.png'), fullPage: true });
  });
});

describe('restart', () => {
  it('restarts the running pipeline and shows restarting… until the worker reports it running again', async () => {
    const restart = page.getByTestId('action-restart');
    await restart.click();
    await restart.filter({ hasText: 'Restarting…' }).waitFor({ timeout: 5_000 });
    await restart.filter({ hasText: /^Restart$/ }).waitFor({ timeout: 30_000 });
    await expect(page.getByTestId('action-unconfirmed').count()).resolves.toBe(0);
    await expect(page.getByTestId('connector-state').getAttribute('data-actual-state')).resolves.toBe('RUNNING');
  });
});

describe('overview', () => {
  it('filters, sorts and pauses and resumes connectors in bulk', async () => {
    await page.goto(stack.webUrl);
    const row = page.getByTestId('connector-row-gameplay');
    await row.waitFor({ timeout: 30_000 });
    await waitFor(async () => expect(Number(await row.getByTestId('lag-sparkline').getAttribute('data-points'))).toBeGreaterThan(1), { timeoutMs: 30_000 });
    await expect(row.getByTestId('health-badge').getAttribute('data-health')).resolves.toMatch(/^(OK|PAUSED|WARN|STALL|STOP|ERROR)$/);

    const filter = page.getByTestId('connectors-filter');
    await filter.fill('no-such-connector');
    await page.getByText('No connector matches').waitFor({ timeout: 5_000 });
    await filter.fill('GamePlay');
    await row.waitFor({ timeout: 5_000 });

    const lagHeader = page.getByRole('columnheader', { name: /total lag/i });
    await lagHeader.getByRole('button').click();
    await expect(lagHeader.getAttribute('aria-sort')).resolves.toBe('descending');

    await row.getByRole('checkbox').check();
    await page.getByTestId('bulk-pause').click();
    await waitFor(async () => expect(await row.getByTestId('state-badge').getAttribute('data-actual-state')).toBe('PAUSED'), { timeoutMs: 30_000, intervalMs: 250 });
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'operate-overview-paused.png'), fullPage: true });

    await row.getByRole('checkbox').check();
    await page.getByTestId('bulk-resume').click();
    await waitFor(async () => expect(await row.getByTestId('state-badge').getAttribute('data-actual-state')).toBe('RUNNING'), { timeoutMs: 30_000, intervalMs: 250 });
  });
});
