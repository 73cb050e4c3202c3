import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertDeliveryLoop } from '../../lib/alerts/deliver-alerts';
import { listAlertDeliveries } from '../../lib/alerts/read-alert-rules';
import { createAlertRule } from '../../lib/alerts/save-alert-rule';
import { sendTestAlert } from '../../lib/alerts/send-test-alert';
import { systemActor } from '../../lib/auth/principal';
import { applyLifecycleAction } from '../../lib/connectors/lifecycle';
import { createConnector } from '../../lib/connectors/save-connector';
import { getConnector } from '../../lib/connectors/read-connectors';
import { gameplayConnectorDefinition, REFERENCE_EVENTS, toKafkaMessage } from '../../lib/demo/gameplay';
import type { Supervisor } from '../../worker/supervisor';
import {
  createTestDatabase,
  createTopic,
  kustoCount,
  produce,
  secretKey,
  seedConnections,
  startSupervisor,
  startTestEngine,
  uniqueName,
  waitFor,
  type TestDatabase,
  type TestEngine,
} from '../support/harness';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';

/**
 * Alerts with three workers on one control plane: each worker runs a supervisor (the lease
 * holder evaluates a connector's rules) and a delivery loop, as worker/main.ts does.
 */
const WORKERS = ['alerts-w1', 'alerts-w2', 'alerts-w3'];
const actor = systemActor('alerts-test');

let database: TestDatabase;
let engine: TestEngine;
let ids: { kafkaConnectionId: string; kustoConnectionId: string };
const supervisors: Supervisor[] = [];
const deliveryLoops: AlertDeliveryLoop[] = [];
const receivers: WebhookReceiver[] = [];

function events(count: number, firstPlayer: number) {
  return Array.from({ length: count }, (_, i) => toKafkaMessage({ ...REFERENCE_EVENTS[i % 4], playerId: firstPlayer + i }));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function caughtUpConnector(name: string, table: string) {
  const topic = uniqueName(name);
  await createTopic(topic, 3);
  const connector = await createConnector(
    database.db,
    gameplayConnectorDefinition(ids, { name, source: { topics: [topic], startFrom: 'earliest' }, target: { ...gameplayConnectorDefinition(ids).target!, table } }),
    actor,
  );
  await produce(topic, events(6, 1));
  // At least once: a rebalance among the three workers may replay a batch.
  await waitFor(async () => expect(await kustoCount(engine.url, 'gamesdb', table)).toBeGreaterThanOrEqual(6), { timeoutMs: 60_000 });
  return { connector, topic };
}

beforeAll(async () => {
  database = await createTestDatabase();
  engine = await startTestEngine();
  ids = await seedConnections(database.db, engine.url);
  for (const workerId of WORKERS) {
    const supervisor = startSupervisor(database, workerId);
    await supervisor.start();
    supervisors.push(supervisor);
    const loop = new AlertDeliveryLoop({ db: database.db, secretKey: secretKey(), sender: workerId, intervalMs: 250, retryBaseMs: 500 });
    loop.start();
    deliveryLoops.push(loop);
  }
});

afterAll(async () => {
  for (const loop of deliveryLoops) await loop.stop();
  for (const supervisor of supervisors) await supervisor.stop();
  for (const receiver of receivers) await receiver.close();
  await engine?.close();
  await database?.drop();
});

describe('alerts with three workers', () => {
  it('sends exactly one FIRING when health goes to STOP and one RESOLVED when it is OK again', async () => {
    const receiver = await startWebhookReceiver();
    receivers.push(receiver);
    const { connector, topic } = await caughtUpConnector('alerted', 'AlertedTarget');
    const rule = await createAlertRule(
      database.db,
      { name: 'connector stuck', condition: 'HEALTH', healthStatuses: ['STALL', 'STOP'], format: 'JSON', webhookUrl: receiver.url },
      secretKey(),
    );
    expect(rule).toMatchObject({ connector: null, description: 'health becomes STALL or STOP', webhookOrigin: new URL(receiver.url).origin });
    expect(JSON.stringify(rule)).not.toContain('/hooks/kastor');

    // The target goes away while records keep coming: the workers retry, nothing is committed,
    // and the lag waits — Burrow's STOP (a paused connector reads PAUSED, not stuck).
    const outage = engine.restart(25_000);
    await produce(topic, events(30, 100));

    await waitFor(async () => expect(receiver.received.length).toBeGreaterThanOrEqual(1), { timeoutMs: 60_000 });
    // Several more metrics cycles of all three workers: the transition is not sent again.
    await sleep(4_000);
    expect(receiver.received).toHaveLength(1);
    const firing = receiver.received[0].body as Record<string, unknown>;
    expect(firing).toMatchObject({
      kind: 'FIRING',
      source: 'kastor',
      episode: 1,
      rule: { id: rule.id, name: 'connector stuck', condition: 'health becomes STALL or STOP' },
      connector: { id: connector.id, name: 'alerted' },
      detail: { health: expect.stringMatching(/^(STALL|STOP)$/), actualState: 'RUNNING' },
    });
    expect(firing.summary).toMatch(/^alerted: health becomes STALL or STOP — health (STALL|STOP): .+ records behind/);

    // The target is back: the retried writes land, the lag drains, health is OK again.
    await outage;
    await waitFor(async () => expect(receiver.received.length).toBeGreaterThanOrEqual(2), { timeoutMs: 60_000 });
    await sleep(4_000);
    expect(receiver.received.map((request) => (request.body as { kind: string }).kind)).toEqual(['FIRING', 'RESOLVED']);
    expect(receiver.received[1].body).toMatchObject({ kind: 'RESOLVED', episode: 1, connector: { name: 'alerted' }, detail: { health: 'OK' } });

    const log = await listAlertDeliveries(database.db, rule.id);
    expect(log.map((entry) => [entry.kind, entry.attempt, entry.ok, entry.httpStatus, entry.eventStatus])).toEqual([
      ['RESOLVED', 1, true, 200, 'DELIVERED'],
      ['FIRING', 1, true, 200, 'DELIVERED'],
    ]);
    expect(WORKERS).toContain(log[0].sender);
    await applyLifecycleAction(database.db, connector.id, 'delete', actor);
  });

  it('retries a failing receiver with backoff and logs every attempt', async () => {
    // The receiver is down for the first two requests.
    const receiver = await startWebhookReceiver((n) => (n <= 2 ? 503 : 200));
    receivers.push(receiver);
    const { connector, topic } = await caughtUpConnector('lagging', 'LaggingTarget');
    const rule = await createAlertRule(
      database.db,
      { name: 'lag above 0 s', connectorId: connector.id, condition: 'LAG_SECONDS', threshold: 0, format: 'SLACK', webhookUrl: receiver.url, sendResolved: false },
      secretKey(),
    );
    await applyLifecycleAction(database.db, connector.id, 'pause', actor);
    await waitFor(async () => expect((await getConnector(database.db, connector.id)).actualState).toBe('PAUSED'));
    await produce(topic, events(10, 500));

    await waitFor(async () => expect(receiver.received).toHaveLength(3), { timeoutMs: 60_000 });
    const log = await waitFor(async () => {
      const entries = await listAlertDeliveries(database.db, rule.id);
      expect(entries).toHaveLength(3);
      return entries.reverse();
    });
    expect(log.map((entry) => [entry.kind, entry.attempt, entry.ok, entry.httpStatus])).toEqual([
      ['FIRING', 1, false, 503],
      ['FIRING', 2, false, 503],
      ['FIRING', 3, true, 200],
    ]);
    expect(log[0].error).toBe('HTTP 503: receiver unavailable');
    expect(log.every((entry) => entry.eventStatus === 'DELIVERED')).toBe(true);
    // Doubling delays from 0.5 s: the second try ≥ 0.5 s after the first, the third ≥ 1 s after the second.
    const gaps = [receiver.received[1].at - receiver.received[0].at, receiver.received[2].at - receiver.received[1].at];
    expect(gaps[0]).toBeGreaterThanOrEqual(450);
    expect(gaps[1]).toBeGreaterThanOrEqual(950);
    // A Slack incoming-webhook message.
    const body = receiver.received[2].body as { text: string; blocks: { type: string }[] };
    expect(body.text).toMatch(/^:rotating_light: Alert firing: lag above 0 s — lagging: lag above 0 s — lag \d+ s/);
    expect(body.blocks.map((block) => block.type)).toEqual(['header', 'section', 'section']);
    await applyLifecycleAction(database.db, connector.id, 'delete', actor);
  });

  it('"send test" posts a Teams Adaptive Card at once and logs the outcome', async () => {
    const receiver = await startWebhookReceiver();
    receivers.push(receiver);
    const rule = await createAlertRule(
      database.db,
      // Disabled: nothing but the test is sent to this receiver, whatever the other connectors do.
      { name: 'failed connectors', condition: 'CONNECTOR_FAILED', format: 'TEAMS', webhookUrl: receiver.url, enabled: false },
      secretKey(),
    );
    const delivery = await sendTestAlert(database.db, rule.id, secretKey());
    expect(delivery).toMatchObject({ kind: 'TEST', attempt: 1, ok: true, httpStatus: 200, sender: 'web', eventStatus: 'DELIVERED' });
    expect(receiver.received).toHaveLength(1);
    const card = receiver.received[0].body as { type: string; attachments: { contentType: string; content: { type: string; body: { text?: string }[] } }[] };
    expect(card.type).toBe('message');
    expect(card.attachments[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(card.attachments[0].content.type).toBe('AdaptiveCard');
    expect(card.attachments[0].content.body[0].text).toBe('Test notification: failed connectors');

    await receiver.close();
    const unreachable = await sendTestAlert(database.db, rule.id, secretKey());
    expect(unreachable).toMatchObject({ ok: false, httpStatus: null, eventStatus: 'FAILED' });
    expect(unreachable.error).toMatch(/ECONNREFUSED/);
  });
});
