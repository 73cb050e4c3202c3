import { describe, expect, it } from 'vitest';
import { ZAlertRuleInput } from '../../lib/alerts/alert-rule-definition';
import { decideTransition, evaluateCondition, retryDelayMs, type AlertSnapshot } from '../../lib/alerts/evaluate-alert';
import { webhookBody, type AlertNotification } from '../../lib/alerts/webhook-payload';
import { diffValues } from '../../lib/config/diff-values';
import { describeValue } from '../../lib/kafka/topic-browser-contracts';

const snapshot: AlertSnapshot = {
  health: { status: 'STOP', reason: 'gameplay/0 not committing for 30 s while 12 records behind' },
  actualState: 'PAUSED',
  lastError: null,
  lagSeconds: 95,
  totalLag: 12,
  ingestionFailures: 3,
};

describe('alert conditions', () => {
  it('hold for the statuses, thresholds and states a rule names', () => {
    expect(evaluateCondition({ condition: 'HEALTH', healthStatuses: ['STOP', 'ERROR'], threshold: null }, snapshot).holds).toBe(true);
    expect(evaluateCondition({ condition: 'HEALTH', healthStatuses: ['WARN'], threshold: null }, snapshot).holds).toBe(false);
    expect(evaluateCondition({ condition: 'LAG_SECONDS', healthStatuses: [], threshold: 90 }, snapshot)).toEqual({ holds: true, reason: 'lag 95 s (12 records), threshold 90 s' });
    expect(evaluateCondition({ condition: 'LAG_SECONDS', healthStatuses: [], threshold: 120 }, snapshot).holds).toBe(false);
    expect(evaluateCondition({ condition: 'CONNECTOR_FAILED', healthStatuses: [], threshold: null }, { ...snapshot, actualState: 'FAILED', lastError: 'table dropped' })).toEqual({
      holds: true,
      reason: 'FAILED: table dropped',
    });
    expect(evaluateCondition({ condition: 'INGESTION_FAILURES', healthStatuses: [], threshold: 2 }, snapshot).holds).toBe(true);
  });
});

describe('alert transitions', () => {
  const quiet = { firing: false, pendingSince: null };
  it('fire at once without a hold time, and only after it with one', () => {
    expect(decideTransition(quiet, true, 1_000, 0)).toEqual({ kind: 'fire' });
    expect(decideTransition(quiet, true, 1_000, 60_000)).toEqual({ kind: 'pending', since: 1_000 });
    expect(decideTransition({ firing: false, pendingSince: 1_000 }, true, 30_000, 60_000)).toEqual({ kind: 'none' });
    expect(decideTransition({ firing: false, pendingSince: 1_000 }, true, 61_000, 60_000)).toEqual({ kind: 'fire' });
    expect(decideTransition({ firing: false, pendingSince: 1_000 }, false, 30_000, 60_000)).toEqual({ kind: 'clear-pending' });
  });

  it('resolve once the condition clears, and never fire twice in one episode', () => {
    expect(decideTransition({ firing: true, pendingSince: null }, true, 5_000, 0)).toEqual({ kind: 'none' });
    expect(decideTransition({ firing: true, pendingSince: null }, false, 5_000, 0)).toEqual({ kind: 'resolve' });
    expect(decideTransition(quiet, false, 5_000, 0)).toEqual({ kind: 'none' });
  });

  it('back off by doubling, capped at five minutes', () => {
    expect([1, 2, 3, 4].map((attempt) => retryDelayMs(attempt))).toEqual([2_000, 4_000, 8_000, 16_000]);
    expect(retryDelayMs(20)).toBe(300_000);
  });
});

describe('alert rules and payloads', () => {
  it('name the field a rule is missing', () => {
    const result = ZAlertRuleInput.safeParse({ name: 'lag', condition: 'LAG_SECONDS', webhookUrl: 'ftp://example.com' });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.')).sort()).toEqual(['threshold', 'webhookUrl']);
  });

  const notification: AlertNotification = {
    kind: 'RESOLVED',
    rule: { id: 'r', name: 'stuck', condition: 'health becomes STOP' },
    connector: { id: 'c', name: 'gameplay' },
    summary: 'gameplay: resolved — health OK: caught up',
    detail: {},
    episode: 2,
    at: '2026-11-28T00:00:00.000Z',
    source: 'kastor',
  };

  it('are shaped for Slack and Teams', () => {
    expect(webhookBody('JSON', notification)).toBe(notification);
    expect(webhookBody('SLACK', notification)).toMatchObject({ text: ':white_check_mark: Resolved: stuck — gameplay: resolved — health OK: caught up' });
    expect(webhookBody('TEAMS', notification)).toMatchObject({
      type: 'message',
      attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard', body: [{ text: 'Resolved: stuck', color: 'Good' }, {}, { type: 'FactSet' }] } }],
    });
  });
});

describe('config diffs and message values', () => {
  it('lists each changed leaf by path', () => {
    expect(diffValues({ a: 1, b: { c: [1, 2] } }, { a: 1, b: { c: [1, 3, 4] }, d: 'x' })).toEqual([
      { path: 'b.c.1', before: 2, after: 3 },
      { path: 'b.c.2', before: null, after: 4 },
      { path: 'd', before: null, after: 'x' },
    ]);
  });

  it('shows JSON indented, text as is, and Confluent wire-format bytes as Avro with the schema id', () => {
    expect(describeValue('{"a":1}', null)).toEqual({ format: 'json', display: '{\n  "a": 1\n}' });
    expect(describeValue('a,b,c', null)).toEqual({ format: 'text', display: 'a,b,c' });
    expect(describeValue(null, Buffer.from([0, 0, 0, 1, 44, 2, 3]).toString('base64'))).toMatchObject({ format: 'avro', schemaId: 300 });
    expect(describeValue(null, Buffer.from([0xff, 0xfe]).toString('base64'))).toMatchObject({ format: 'binary' });
  });
});
