import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ConnectorRevisionView, RevisionDiffView } from '../../lib/connectors/revision-view';
import { gameplayConnectorDefinition, REFERENCE_EVENTS, toKafkaMessage } from '../../lib/demo/gameplay';
import { ARTIFACTS_DIR, textOf, useBrowserStack } from '../support/browser';
import { createTopic, produce, uniqueName, waitFor } from '../support/harness';
import { stackFetch } from '../support/stack';

/**
 * The connector page's revision history (who saved each revision and when, a diff between any
 * two, a roll back that saves a new revision); the overview at 1440 px with a failed connector
 * (no horizontal scroll, the error shown once); and the target's row count compared with the rows
 * written only when both describe the same moment.
 */
const world = useBrowserStack('revision-history', { KASTOR_DEMO_EVENTS_PER_SECOND: '20', KASTOR_DEMO_SECONDS: '10' }, 'admin');

async function api<T>(pathname: string, init: RequestInit = {}): Promise<T> {
  const response = await stackFetch(world.stack, pathname, init);
  expect(response.ok, `${init.method ?? 'GET'} ${pathname} answered ${response.status}`).toBe(true);
  return (await response.json()) as T;
}

/** A connector of its own on a topic of its own, created through the API. */
async function createConnector(name: string, extra: Parameters<typeof gameplayConnectorDefinition>[1] = {}) {
  const topic = uniqueName(name);
  await createTopic(topic, 1);
  const definition = gameplayConnectorDefinition(world.ids, {
    name,
    source: { topics: [topic], startFrom: 'earliest' },
    target: { ...gameplayConnectorDefinition(world.ids).target!, table: `${name.replace(/-/g, '_')}_rows` },
    ...extra,
  });
  const { connector } = await api<{ connector: { id: string; revision: number } }>('/api/connectors', { method: 'POST', body: JSON.stringify(definition) });
  return { connector, topic, definition };
}

describe('revision history', () => {
  it('diffs revision 1 with 3 field by field, and rolling back to 1 saves revision 4 equal to it', async () => {
    const { connector, definition } = await createConnector('history');
    for (const [expectedRevision, flush] of [[1, { maxRecords: 100, maxBytes: 65_536, maxAgeMs: 250 }], [2, { maxRecords: 200, maxBytes: 1024 * 1024, maxAgeMs: 250 }]] as const) {
      await api(`/api/connectors/${connector.id}`, { method: 'PUT', body: JSON.stringify({ definition: { ...definition, flush }, expectedRevision }) });
    }

    await world.page.goto(`${world.stack.webUrl}/connectors/${connector.id}`);
    const history = world.page.getByTestId('revision-history');
    await history.getByTestId('revision-3').waitFor({ timeout: 60_000 });
    for (const revision of [1, 2, 3]) {
      const row = history.getByTestId(`revision-${revision}`);
      expect(await row.getByTestId('revision-actor').innerText()).toMatch(/\S/);
      // Relative on the page, the exact time on hover.
      const when = row.locator('time:visible');
      expect(await when.innerText()).toMatch(/ago|now/);
      expect(await when.getAttribute('title')).toMatch(/\d{4}-\d\d-\d\d/);
    }

    await history.getByTestId('revision-diff-from').selectOption('1');
    await history.getByTestId('revision-diff-to').selectOption('3');
    const diff = history.getByTestId('revision-diff');
    await waitFor(async () => expect([await diff.getAttribute('data-from'), await diff.getAttribute('data-to')]).toEqual(['1', '3']), { timeoutMs: 15_000 });
    const changes = diff.getByTestId('revision-change');
    expect((await changes.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-path')))).sort()).toEqual(['flush.maxAgeMs', 'flush.maxRecords']);
    const maxRecords = await textOf(diff.locator('[data-path="flush.maxRecords"]'));
    const apiDiff = await api<RevisionDiffView>(`/api/connectors/${connector.id}/revisions/diff?from=1&to=3`);
    const expected = apiDiff.changes.find((change) => change.path === 'flush.maxRecords')!;
    expect(expected.after).toBe(200);
    expect(maxRecords).toBe(`flush.maxRecords\t${JSON.stringify(expected.before)}\t${JSON.stringify(expected.after)}`);
    await world.page.screenshot({ path: path.join(ARTIFACTS_DIR, 'revision-diff-1440.png'), fullPage: true });

    await history.getByTestId('rollback-1').click();
    await history.getByRole('alertdialog').waitFor();
    await history.getByTestId('rollback-confirm').click();
    await history.getByTestId('revision-4').waitFor({ timeout: 30_000 });
    await waitFor(async () => expect(await textOf(diff)).toBe('Revisions 1 and 4 have the same definition.'), { timeoutMs: 15_000 });
    expect(await textOf(world.page.getByTestId('connector-definition').locator('summary'))).toContain('revision 4');

    const { revisions } = await api<{ revisions: ConnectorRevisionView[] }>(`/api/connectors/${connector.id}/revisions`);
    expect(revisions.map((revision) => revision.revision)).toEqual([4, 3, 2, 1]);
    expect(revisions[0].definition).toEqual(revisions[3].definition);
    expect(revisions[0].actor).toMatch(/admin/i);
    expect(await textOf(history.getByTestId('revision-4').getByTestId('revision-actor'))).toBe(revisions[0].actor);
    expect((await api<RevisionDiffView>(`/api/connectors/${connector.id}/revisions/diff?from=1&to=4`)).changes).toEqual([]);
    expect((await api<{ connector: { revision: number } }>(`/api/connectors/${connector.id}`)).connector.revision).toBe(4);

    await world.page.setViewportSize({ width: 420, height: 900 });
    expect(await world.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    // The list fits: nothing in it scrolls sideways, and the roll back buttons are whole.
    const list = history.getByTestId('revision-list');
    expect(await list.evaluate((table) => table.parentElement!.scrollWidth - table.parentElement!.clientWidth)).toBeLessThanOrEqual(0);
    await history.scrollIntoViewIfNeeded();
    await world.page.screenshot({ path: path.join(ARTIFACTS_DIR, 'revision-history-420.png'), fullPage: true });
    await history.screenshot({ path: path.join(ARTIFACTS_DIR, 'revision-history-panel-420.png') });
    await world.page.setViewportSize({ width: 1440, height: 1000 });
  });
});

describe('overview with a failed connector', () => {
  it('fits 1440 px without a horizontal scrollbar and shows the error once; 420 px scrolls the table, not the page', async () => {
    const { connector, topic } = await createConnector('fails-overview', { errorPolicy: { onDecodeError: 'fail' } });
    await produce(topic, [...REFERENCE_EVENTS.slice(0, 2).map(toKafkaMessage), { key: 'bad', value: 'not json: this record cannot be decoded, and its error message is long enough to need truncating' }]);
    await waitFor(async () => expect((await api<{ connector: { actualState: string } }>(`/api/connectors/${connector.id}`)).connector.actualState).toBe('FAILED'), { timeoutMs: 60_000, intervalMs: 500 });
    const { lastError } = (await api<{ connector: { lastError: string } }>(`/api/connectors/${connector.id}`)).connector;
    expect(lastError.length).toBeGreaterThan(40);

    await world.page.goto(`${world.stack.webUrl}/`);
    const row = world.page.getByTestId('connector-row-fails-overview');
    await waitFor(async () => expect(await row.getByTestId('state-badge').getAttribute('data-actual-state')).toBe('FAILED'), { timeoutMs: 30_000, intervalMs: 500 });
    expect(await row.getByTestId('health-badge').getAttribute('data-health')).toBe('ERROR');

    const frame = world.page.getByTestId('connectors-table-frame');
    const overflow = () => frame.evaluate((element) => ({ scroll: element.scrollWidth, client: element.clientWidth, page: document.documentElement.scrollWidth - document.documentElement.clientWidth }));
    const wide = await overflow();
    expect(wide.scroll).toBeLessThanOrEqual(wide.client);
    expect(wide.page).toBeLessThanOrEqual(0);
    const rowText = await row.innerText();
    expect(rowText.split(lastError).length - 1).toBe(1);
    expect(await row.getByTestId('health').innerText()).not.toContain(lastError.slice(0, 20));
    const errorCell = row.getByTestId('last-error').getByRole('button');
    expect(await errorCell.getAttribute('title')).toBe(lastError);
    // One line until asked: the cell is no taller than the row's other cells need.
    const collapsed = (await errorCell.boundingBox())!.height;
    await errorCell.click();
    expect(await errorCell.getAttribute('aria-expanded')).toBe('true');
    expect((await errorCell.boundingBox())!.height).toBeGreaterThan(collapsed * 1.5);
    await errorCell.click();
    await world.page.screenshot({ path: path.join(ARTIFACTS_DIR, 'overview-failed-1440.png'), fullPage: true });

    await world.page.setViewportSize({ width: 420, height: 900 });
    const narrow = await overflow();
    expect(narrow.page).toBeLessThanOrEqual(0);
    expect(narrow.client).toBeLessThanOrEqual(420);
    await world.page.screenshot({ path: path.join(ARTIFACTS_DIR, 'overview-failed-420.png'), fullPage: true });
    await world.page.setViewportSize({ width: 1440, height: 1000 });
  });
});

describe('target rows against rows written', () => {
  type Comparison = { state: 'unavailable' } | { state: 'moving' } | { state: 'settled'; difference: number };
  const targetOf = (id: string) => api<{ targetRowCount: number | null; rowsWritten: number; rowComparison: Comparison }>(`/api/connectors/${id}/target`);

  it('a live connector never shows a difference that is only the two counts read at different moments; once idle they match', async () => {
    const { connector, topic } = await createConnector('live-drift');
    await world.page.goto(`${world.stack.webUrl}/connectors/${connector.id}`);
    const readings: Comparison[] = [];
    let producing = true;
    const producer = (async () => {
      for (let batch = 0; producing; batch += 1) {
        await produce(topic, Array.from({ length: 7 }, (_, i) => toKafkaMessage({ ...REFERENCE_EVENTS[i % 4], playerId: 1000 + batch * 7 + i })));
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
    })();
    const until = Date.now() + 12_000;
    while (Date.now() < until) {
      readings.push((await targetOf(connector.id)).rowComparison);
      const shown = world.page.getByTestId('target-row-comparison');
      if ((await shown.count()) > 0 && (await shown.getAttribute('data-state')) === 'settled') expect(await shown.getAttribute('data-difference')).toBe('0');
    }
    producing = false;
    await producer;
    expect(readings.length).toBeGreaterThan(3);
    for (const reading of readings) expect(reading.state === 'settled' ? reading.difference : 0).toBe(0);
    expect(readings.some((reading) => reading.state === 'moving')).toBe(true);

    await waitFor(async () => {
      const target = await targetOf(connector.id);
      expect(target.rowComparison).toEqual({ state: 'settled', difference: 0 });
      expect(target.targetRowCount).toBe(target.rowsWritten);
      expect(await world.page.getByTestId('target-row-comparison').getAttribute('data-state')).toBe('settled');
      expect(await textOf(world.page.getByTestId('target-row-comparison'))).toBe('The table holds exactly the rows the workers wrote.');
    }, { timeoutMs: 60_000, intervalMs: 1_000 });
  });

  it('rows another connector wrote to the same table show as a real difference, with what it means', async () => {
    const mine = await createConnector('drift-mine');
    const other = await createConnector('drift-other', { target: { ...mine.definition.target } });
    await produce(mine.topic, REFERENCE_EVENTS.slice(0, 3).map(toKafkaMessage));
    await produce(other.topic, REFERENCE_EVENTS.slice(0, 2).map(toKafkaMessage));
    await world.page.goto(`${world.stack.webUrl}/connectors/${mine.connector.id}`);
    await waitFor(async () => {
      const target = await targetOf(mine.connector.id);
      expect([target.targetRowCount, target.rowsWritten]).toEqual([5, 3]);
      expect(target.rowComparison).toEqual({ state: 'settled', difference: 2 });
      const shown = world.page.getByTestId('target-row-comparison');
      expect(await shown.getAttribute('data-difference')).toBe('2');
      expect(await textOf(shown)).toMatch(/^\+2 in the table: rows the workers did not write \(ingested by someone else\)/);
    }, { timeoutMs: 60_000, intervalMs: 1_000 });
    await world.page.getByTestId('target-row-comparison').scrollIntoViewIfNeeded();
    await world.page.screenshot({ path: path.join(ARTIFACTS_DIR, 'target-rows-difference-1440.png') });
  });
});
