import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumerGroupId } from '../../lib/connectors/connector-definition';
import { GAMEPLAY_TOPIC } from '../../lib/demo/gameplay';
import { readPartitionMessages } from '../../lib/kafka/read-partition-messages';
import { ARTIFACTS_DIR, eventually, launchBrowser, signIn, textOf } from '../support/browser';
import { createTestDatabase, testKafka, type TestDatabase } from '../support/harness';
import { startStack, stackFetch, type TestStack } from '../support/stack';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';

/**
 * The topic browser and the alerts page in Chromium on the whole stack with the gameplay demo:
 * open `gameplay`, go to partition 2 offset 10, search for a player id and see the record's
 * headers, and see the consumer groups of the topic with their lag — Kastor's connector and
 * another application's group; then add an alert rule and send a test to a local receiver.
 */
let database: TestDatabase;
let stack: TestStack;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let context: BrowserContext;
let page: Page;
let receiver: WebhookReceiver;

const PLAYER = '987654';

beforeAll(async () => {
  database = await createTestDatabase();
  stack = await startStack('topic-browser', database, { KASTOR_DEMO_EVENTS_PER_SECOND: '10' });
  // A record of a player nobody else has, with headers, in partition 2.
  const producer = testKafka().producer();
  await producer.connect();
  await producer.send({
    topic: GAMEPLAY_TOPIC,
    messages: [
      ...Array.from({ length: 12 }, (_, i) => ({ partition: 2, key: String(800 + i), value: JSON.stringify({ playerId: 800 + i, gameId: 1, win: 0, score: i, eventTime: '2026-01-01 00:00:00.000' }) })),
      {
        partition: 2,
        key: PLAYER,
        value: JSON.stringify({ playerId: Number(PLAYER), gameId: 7, win: 120, score: 999, eventTime: '2026-01-01 00:00:01.000' }),
        headers: { 'trace-id': 'e2e-trace-42', source: 'topic-browser-test' },
      },
    ],
  });
  await producer.disconnect();
  // Another application's consumer group: reads a little, commits, leaves; its lag then grows.
  const consumer = testKafka().consumer({ groupId: 'analytics-dashboard' });
  await consumer.connect();
  await consumer.subscribe({ topic: GAMEPLAY_TOPIC, fromBeginning: true });
  let seen = 0;
  await new Promise<void>((resolve) => {
    void consumer.run({
      eachMessage: async () => {
        seen += 1;
        if (seen === 20) resolve();
      },
    });
  });
  await consumer.disconnect();

  browser = await launchBrowser(stack);
  context = await browser.browser.newContext({ viewport: { width: 1440, height: 1000 } });
  receiver = await startWebhookReceiver();
  page = await context.newPage();
  page.on('pageerror', (error) => console.error(`topic browser page error: ${error.message}`));
  // An admin, signed in through the local OpenID provider: the alerts part creates a rule.
  await signIn(page, stack, 'admin');
}, 360_000);

afterAll(async () => {
  await receiver?.close();
  await browser?.close();
  await stack?.service.stop();
  await database?.drop();
});

function screenshot(name: string) {
  return page.screenshot({ path: path.join(ARTIFACTS_DIR, `operations-${name}.png`), fullPage: true });
}

describe('topic browser', () => {
  it('lists the topics of the connection with partitions, messages, size and retention', async () => {
    await page.goto(`${stack.webUrl}/topics`);
    const row = page.getByTestId(`topic-${GAMEPLAY_TOPIC}`);
    await row.waitFor();
    const cells = await row.locator('td').allInnerTexts();
    expect(cells[1]).toBe('4');
    expect(Number(cells[3].replace(/,/g, ''))).toBeGreaterThan(12);
    expect(cells[4]).toMatch(/^[\d.,]+ (B|KiB|MiB)$/);
    expect(cells[5]).toBe('7 d');
    expect(cells[6]).toBe('delete');
    await screenshot('list');
  });

  it('opens gameplay and reads partition 2 from offset 10', async () => {
    await page.getByRole('link', { name: GAMEPLAY_TOPIC, exact: true }).click();
    await page.getByRole('heading', { name: GAMEPLAY_TOPIC }).waitFor();
    await eventually(async () => expect(await textOf(page.getByTestId('topic-summary'))).toMatch(/^4 partitions · replication factor 1 · [\d,]+ messages retained · retention 7 d$/));
    // Newest first by default.
    await page.getByTestId('browse-summary').waitFor();
    expect(await textOf(page.getByTestId('browse-summary'))).toMatch(/^50 messages, the newest 50 of all partitions · retained offsets p0: /);

    await page.getByLabel('Partition', { exact: true }).selectOption('2');
    await page.getByLabel('Read', { exact: true }).selectOption('offset');
    await page.getByLabel('Offset', { exact: true }).fill('10');
    await page.getByRole('button', { name: 'Show messages' }).click();
    await eventually(async () => expect(await textOf(page.getByTestId('browse-summary'))).toMatch(/^\d+ messages, up to 50 from offset 10 of partition 2 · retained offsets p2: 0–[\d,]+$/));
    const first = page.getByRole('table', { name: 'Messages' }).locator('tbody tr').first();
    expect(await first.getAttribute('data-testid')).toBe('message-2-10');
    const [atTen] = await readPartitionMessages(testKafka(), { topic: GAMEPLAY_TOPIC, partition: 2, fromOffset: 10, maxMessages: 1 });
    expect(await textOf(first.locator('td').nth(3))).toBe(atTen.key);
    await first.click();
    const detail = page.getByTestId('message-detail');
    expect(await textOf(detail.getByRole('region', { name: 'Value' }).locator('pre'))).toBe(JSON.stringify(JSON.parse(atTen.value!), null, 2));
    await screenshot('offset');
  });

  it('finds the player by id with progress and shows the record headers', async () => {
    await page.getByRole('tab', { name: 'Search' }).click();
    await page.getByLabel('Find', { exact: true }).fill(PLAYER);
    await page.getByRole('button', { name: 'Search' }).click();
    await eventually(async () => expect(await textOf(page.getByTestId('search-progress'))).toMatch(/^Done: read [\d,]+ of [\d,]+ records, 1 match/));
    expect(await page.getByRole('progressbar', { name: 'Search progress' }).getAttribute('aria-valuenow')).toBe('100');
    const match = page.getByRole('table', { name: 'Messages' }).locator('tbody tr').first();
    expect(await textOf(match.locator('td').nth(3))).toBe(PLAYER);
    expect(await textOf(match.locator('mark').first())).toBe(PLAYER);
    await match.click();
    const headers = page.getByRole('table', { name: 'Headers' });
    expect(await headers.locator('tr').allInnerTexts()).toEqual(['trace-id\te2e-trace-42', 'source\ttopic-browser-test']);
    await screenshot('search');
  });

  it('lists the consumer groups of the topic with their lag, Kastor’s connector and another application', async () => {
    await page.getByRole('tab', { name: 'Consumer groups' }).click();
    const analytics = page.getByTestId('group-analytics-dashboard');
    await analytics.waitFor();
    expect(await textOf(analytics.locator('td').nth(1))).toBe('Empty');
    expect(Number((await textOf(analytics.getByTestId('group-lag'))).replace(/,/g, ''))).toBeGreaterThan(0);
    // The broker is shared by the run's stacks, so other stacks' connectors read `gameplay` too: this stack's is the one to check.
    const { connectors } = (await (await stackFetch(stack, '/api/connectors')).json()) as { connectors: { id: string; name: string }[] };
    const kastor = page.getByTestId(`group-${consumerGroupId(connectors.find((connector) => connector.name === 'gameplay')!.id)}`);
    await eventually(async () => expect(await kastor.count()).toBe(1));
    expect(await textOf(kastor.locator('td').first())).toMatch(/Kastor connector gameplay$/);
    expect(await textOf(kastor.locator('td').nth(1))).toBe('Stable');
    await kastor.getByRole('button', { name: '4 partitions' }).click();
    expect(await page.getByRole('table', { name: /^Lag of kastor-/ }).locator('tbody tr').count()).toBe(4);
    await screenshot('groups');
  });
});

describe('alerts page', () => {
  it('adds a rule for the gameplay connector, sends a test to the webhook and shows the delivery log', async () => {
    await page.goto(`${stack.webUrl}/alerts`);
    await page.getByRole('button', { name: 'Add alert rule' }).click();
    const form = page.getByRole('form', { name: 'New alert rule' });
    await form.getByLabel('Name', { exact: true }).fill('gameplay stuck');
    await form.getByLabel('Connector', { exact: true }).selectOption({ label: 'gameplay' });
    await form.getByLabel('Webhook format').selectOption('SLACK');
    // Saving without a webhook names the field.
    await form.getByRole('button', { name: 'Save rule' }).click();
    await eventually(async () => expect(await textOf(form.locator('[data-testid$="-error"]').first())).toBe('is required'));
    await form.getByLabel('Webhook URL').fill(receiver.url);
    await form.getByRole('button', { name: 'Save rule' }).click();

    const card = page.getByTestId('alert-rule-gameplay stuck');
    await card.waitFor();
    expect(await textOf(card)).toContain('gameplay: health becomes STALL or STOP or ERROR');
    expect(await textOf(card)).toContain(`Slack webhook at ${new URL(receiver.url).origin}`);
    expect(await textOf(card)).not.toContain('/hooks/kastor');
    await card.getByRole('button', { name: 'Send test' }).click();
    await eventually(async () => expect(await textOf(card.getByRole('status'))).toMatch(/^Test delivered: the webhook answered 200 in \d+ ms\.$/));
    expect(receiver.received).toHaveLength(1);
    expect((receiver.received[0].body as { text: string }).text).toBe(':wave: Test notification: gameplay stuck — Test of "gameplay stuck" (health becomes STALL or STOP or ERROR): the webhook is reachable from Kastor.');
    const row = card.getByTestId('delivery-row');
    await eventually(async () => expect(await row.count()).toBe(1));
    expect(await textOf(row)).toMatch(/TEST.+#1\s+delivered \(200, \d+ ms\)\s+web$/s);
    await screenshot('alerts');
  });
});
