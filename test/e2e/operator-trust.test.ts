import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { createConnector } from '../../lib/connectors/save-connector';
import { gameplayConnectorDefinition, REFERENCE_EVENTS, toKafkaMessage } from '../../lib/demo/gameplay';
import { ARTIFACTS_DIR, useBrowserStack } from '../support/browser';
import { createTopic, produce, uniqueName, waitFor } from '../support/harness';
import { stackFetch } from '../support/stack';

/**
 * The figures on a connector's page agree with each other and with the API in the situations
 * that used to contradict them: paused with lag, idle and caught up, restarted into the same
 * failure; the charts span the chosen range with readable, non-overlapping labels and whole
 * counts; the query panel runs `.show tables` and exports CSV.
 */
const world = useBrowserStack('operator-trust', { KASTOR_DEMO_EVENTS_PER_SECOND: '20', KASTOR_DEMO_SECONDS: '20' }, 'operator');

async function apiConnector(id: string) {
  return ((await (await stackFetch(world.stack, `/api/connectors/${id}`)).json()) as { connector: { health: { status: string; reason: string }; totalLag: number; etaSeconds: number | null; recordsSkipped: number; lagTrend: { direction: string } } }).connector;
}

async function text(testId: string): Promise<string> {
  return (await world.page.getByTestId(testId).innerText()).trim();
}

/** A connector of its own on a topic of its own, with `count` gameplay events in it. */
async function connectorWith(name: string, count: number, extra: Parameters<typeof gameplayConnectorDefinition>[1] = {}) {
  const topic = uniqueName(name);
  await createTopic(topic, 1);
  await produce(topic, Array.from({ length: count }, (_, i) => toKafkaMessage({ ...REFERENCE_EVENTS[i % 4], playerId: 500 + i })));
  const connector = await createConnector(
    world.database.db,
    gameplayConnectorDefinition(world.ids, { name, source: { topics: [topic], startFrom: 'earliest' }, target: { ...gameplayConnectorDefinition(world.ids).target!, table: `${name.replace(/-/g, '_')}_rows` }, ...extra }),
    'test',
  );
  return { connector, topic };
}

/** The x-axis labels uPlot drew, with their boxes measured on its canvas. */
async function xAxisLabels(testId: string) {
  return world.page.getByTestId(testId).evaluate((element) => {
    const plot = (element as HTMLElement).uplot!;
    const axis = plot.axes[0] as unknown as { _values: string[]; _splits: number[]; font: [string, number] | string };
    // uPlot keeps the axis font scaled to device pixels, as it draws on the canvas.
    plot.ctx.font = Array.isArray(axis.font) ? axis.font[0] : axis.font;
    const labels = axis._splits.map((split, index) => {
      const center = plot.valToPos(split, 'x');
      const width = plot.ctx.measureText(axis._values[index]).width / devicePixelRatio;
      return { text: axis._values[index], left: center - width / 2, right: center + width / 2 };
    });
    return { labels, splits: axis._splits, min: plot.scales.x.min!, max: plot.scales.x.max!, width: plot.bbox.width / devicePixelRatio };
  });
}

describe('a small connector: integer counts and a chart that spans its range', () => {
  it('shows 4 rows as 4 with whole-number ticks; 24 h spans 24 h; time labels never overlap; UTC/local toggle', async () => {
    const { connector } = await connectorWith('four-rows', 4);
    await world.page.goto(`${world.stack.webUrl}/connectors/${connector.id}`);
    await waitFor(async () => expect(await text('rows-total')).toBe('4'), { timeoutMs: 60_000, intervalMs: 500 });
    const lagChart = world.page.getByTestId('chart-total-lag');
    await waitFor(async () => expect(Number(await lagChart.getAttribute('data-points'))).toBeGreaterThan(2), { timeoutMs: 30_000 });

    const yTicks = await lagChart.evaluate((element) => ((element as HTMLElement).uplot!.axes[1] as unknown as { _splits: number[] })._splits);
    expect(yTicks.length).toBeGreaterThan(1);
    for (const tick of yTicks) expect(Number.isInteger(tick)).toBe(true);

    for (const [range, hours] of [['15m', 0.25], ['1h', 1], ['24h', 24]] as const) {
      await world.page.getByTestId(`range-${range}`).click();
      await waitFor(async () => {
        const axis = await xAxisLabels('chart-total-lag');
        expect((axis.max - axis.min) / 3600).toBeCloseTo(hours, 2);
        expect(Math.abs(axis.max - Date.now() / 1000)).toBeLessThan(120);
        expect(axis.labels.length).toBeGreaterThan(1);
        for (let i = 1; i < axis.labels.length; i += 1) expect(axis.labels[i].left).toBeGreaterThan(axis.labels[i - 1].right + 4);
      }, { timeoutMs: 15_000, intervalMs: 500 });
    }
    const axis24 = await xAxisLabels('chart-total-lag');
    for (const label of axis24.labels) expect(label.text).toMatch(/^(\d\d:\d\d|[A-Z][a-z]{2} \d{1,2})$/);
    await world.page.screenshot({ path: path.join(ARTIFACTS_DIR, 'trust-charts-24h-1440.png'), fullPage: true });

    await world.page.getByTestId('zone-utc').click();
    await waitFor(async () => {
      const utc = await xAxisLabels('chart-total-lag');
      const times = utc.labels.map((label, index) => ({ label: label.text, at: new Date(utc.splits[index] * 1000) })).filter(({ label }) => /^\d\d:\d\d$/.test(label));
      expect(times.length).toBeGreaterThan(0);
      for (const { label, at } of times) expect(label).toBe(at.toISOString().slice(11, 16));
    });

    await world.page.setViewportSize({ width: 420, height: 900 });
    await world.page.getByTestId('range-1h').click();
    await waitFor(async () => {
      const narrow = await xAxisLabels('chart-total-lag');
      expect(narrow.labels.length).toBeGreaterThan(1);
      for (let i = 1; i < narrow.labels.length; i += 1) expect(narrow.labels[i].left).toBeGreaterThan(narrow.labels[i - 1].right + 4);
    });
    await world.page.screenshot({ path: path.join(ARTIFACTS_DIR, 'trust-charts-420.png'), fullPage: true });
    await world.page.setViewportSize({ width: 1440, height: 1000 });
  });
});

describe('figures that agree with each other and with the API', () => {
  it('idle and caught up: no lag, nothing to drain, and the worker line says the worker is there', async () => {
    const { connector } = await connectorWith('idle', 8);
    await world.page.goto(`${world.stack.webUrl}/connectors/${connector.id}`);
    await waitFor(async () => expect(await text('rows-total')).toBe('8'), { timeoutMs: 60_000, intervalMs: 500 });
    // Idle well past the old 30 s "no worker is reporting" threshold would be slow; the rule is
    // the heartbeat, so the line names live workers whatever the connector writes.
    await waitFor(async () => {
      expect(await text('worker-report')).toMatch(/^1 worker · heartbeat /);
      expect(await text('total-lag')).toBe('0');
      expect(await text('eta-seconds')).toBe('—');
      expect(await world.page.getByTestId('connector-health').getAttribute('data-health')).toBe('OK');
      expect((await apiConnector(connector.id)).health.status).toBe('OK');
    }, { timeoutMs: 30_000, intervalMs: 500 });
  });

  it('paused with lag: PAUSED by whom and when with the lag waiting, the lag card says waiting, no time to drain, as the API says', async () => {
    const { connector, topic } = await connectorWith('paused', 4);
    await world.page.goto(`${world.stack.webUrl}/connectors/${connector.id}`);
    await waitFor(async () => expect(await text('rows-total')).toBe('4'), { timeoutMs: 60_000, intervalMs: 500 });
    await world.page.getByTestId('action-pause').click();
    await world.page.getByTestId('action-pause').filter({ hasText: 'Paused' }).waitFor({ timeout: 30_000 });
    await produce(topic, Array.from({ length: 300 }, (_, i) => toKafkaMessage({ ...REFERENCE_EVENTS[i % 4], playerId: 9000 + i })));
    await waitFor(async () => {
      expect(await text('total-lag')).toBe('300');
      expect(await world.page.getByTestId('connector-health').getAttribute('data-health')).toBe('PAUSED');
      expect(await text('health-reason')).toMatch(/^paused by .+ at \d{4}-\d\d-\d\d \d\d:\d\d UTC; lag 300 waiting$/);
      expect(await text('eta-seconds')).toBe('not draining');
      expect(await world.page.getByTestId('total-lag').locator('xpath=..').innerText()).toMatch(/waiting · paused/);
      const api = await apiConnector(connector.id);
      expect(api.health.status).toBe('PAUSED');
      expect(api.health.reason).toBe(await text('health-reason'));
      expect(api.etaSeconds).toBeNull();
    }, { timeoutMs: 60_000, intervalMs: 500 });
    await world.page.screenshot({ path: path.join(ARTIFACTS_DIR, 'trust-paused-1440.png'), fullPage: true });
    await world.page.getByTestId('action-resume').click();
    await waitFor(async () => expect(await text('total-lag')).toBe('0'), { timeoutMs: 60_000, intervalMs: 500 });
  });

  it('restarted into the same failure: the page says it failed again on the same record, not "is a worker running?"', async () => {
    const { connector, topic } = await connectorWith('fails', 2, { errorPolicy: { onDecodeError: 'fail' } });
    await produce(topic, [{ key: 'bad', value: 'not json' }]);
    await world.page.goto(`${world.stack.webUrl}/connectors/${connector.id}`);
    await waitFor(async () => expect(await world.page.getByTestId('connector-state').getAttribute('data-actual-state')).toBe('FAILED'), { timeoutMs: 60_000, intervalMs: 500 });
    expect(await world.page.getByTestId('connector-health').getAttribute('data-health')).toBe('ERROR');
    expect(await text('eta-seconds')).not.toMatch(/\d/);
    await world.page.getByTestId('action-restart').click();
    const failedAgain = world.page.getByTestId('action-failed-again');
    await failedAgain.waitFor({ timeout: 30_000 });
    expect(await failedAgain.innerText()).toMatch(/failed again on the same record \(.+\/0 at offset 2\)/);
    expect(await world.page.getByTestId('action-unconfirmed').count()).toBe(0);
    await world.page.screenshot({ path: path.join(ARTIFACTS_DIR, 'trust-failed-again-1440.png'), fullPage: true });
    await world.page.setViewportSize({ width: 420, height: 900 });
    await world.page.screenshot({ path: path.join(ARTIFACTS_DIR, 'trust-failed-again-420.png'), fullPage: true });
    await world.page.setViewportSize({ width: 1440, height: 1000 });
  });
});

describe('query panel', () => {
  it('runs .show tables as the ADX web UI does and exports the result as CSV', async () => {
    const gameplay = (await (await stackFetch(world.stack, '/api/connectors')).json()) as { connectors: { id: string; name: string }[] };
    const id = gameplay.connectors.find((connector) => connector.name === 'gameplay')!.id;
    await world.page.goto(`${world.stack.webUrl}/connectors/${id}`);
    await world.page.getByTestId('kql-editor').locator('.monaco-editor').waitFor({ timeout: 60_000 });
    await world.page.getByTestId('kql-editor').locator('.view-lines').click();
    await world.page.keyboard.press('Control+A');
    await world.page.keyboard.press('Delete');
    await world.page.keyboard.insertText('.show tables');
    await world.page.getByTestId('run-query').click();
    const grid = world.page.getByTestId('query-results');
    await grid.waitFor({ timeout: 30_000 });
    const cells = await grid.locator('tbody td').allInnerTexts();
    expect(cells).toContain('GamePlay');
    const [download] = await Promise.all([world.page.waitForEvent('download'), world.page.getByTestId('export-csv').click()]);
    expect(download.suggestedFilename()).toBe('GamePlay-results.csv');
    const csv = await readFile((await download.path())!, 'utf8');
    const header = (await grid.locator('th').allInnerTexts()).map((cell) => cell.trim().split(' ')[0]);
    expect(csv.split('\r\n')[0]).toBe(header.join(','));
    expect(csv).toMatch(/(^|,)GamePlay(,|\r\n)/m);
    await world.page.screenshot({ path: path.join(ARTIFACTS_DIR, 'trust-show-tables-1440.png'), fullPage: true });
  });
});
