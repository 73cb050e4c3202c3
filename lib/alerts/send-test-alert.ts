import 'server-only';
import type { Db } from '../db/prisma';
import { decryptSecret } from '../secrets';
import { describeCondition, type AlertDeliveryView } from './alert-rule-definition';
import { postWebhook } from './deliver-alerts';
import { findRule, listAlertDeliveries } from './read-alert-rules';
import { webhookBody, type AlertNotification } from './webhook-payload';

/**
 * "Send test": one notification of kind TEST to the rule's webhook, now, in its format; no retry,
 * so the user sees at once what the receiver answered. Logged like any delivery.
 */
export async function sendTestAlert(db: Db, ruleId: string, secretKey: string): Promise<AlertDeliveryView> {
  const rule = await findRule(db, ruleId, { connector: { select: { id: true, name: true } } });
  const condition = describeCondition(rule);
  const summary = `Test of "${rule.name}" (${condition}): the webhook is reachable from Kastor.`;
  const event = await db.alertEvent.create({
    data: { ruleId, connectorId: null, kind: 'TEST', episode: 0, summary, detail: { condition }, attempts: 1 },
  });
  const notification: AlertNotification = {
    kind: 'TEST',
    rule: { id: rule.id, name: rule.name, condition },
    connector: rule.connector,
    summary,
    detail: { condition },
    episode: 0,
    at: event.at.toISOString(),
    source: 'kastor',
  };
  const outcome = await postWebhook(decryptSecret(rule.webhookUrlEnc, secretKey), webhookBody(rule.format, notification));
  await db.$transaction([
    db.alertDelivery.create({ data: { eventId: event.id, ruleId, attempt: 1, sender: 'web', ...outcome } }),
    db.alertEvent.update({ where: { id: event.id }, data: { status: outcome.ok ? 'DELIVERED' : 'FAILED' } }),
  ]);
  const [latest] = await listAlertDeliveries(db, ruleId, 1);
  return latest;
}
