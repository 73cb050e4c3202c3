import 'server-only';
import { isUniqueViolation, type Db } from '../db/prisma';
import { AppError, ErrorCode, parseOrThrow } from '../errors';
import { encryptSecret } from '../secrets';
import { ZAlertRuleInput, ZAlertRuleUpdate, type AlertRuleView, type TAlertRule } from './alert-rule-definition';
import { findRule, getAlertRule } from './read-alert-rules';

function ruleFields(input: TAlertRule, secretKey: string, storedWebhook?: { webhookUrlEnc: string; webhookOrigin: string }) {
  const webhook = input.webhookUrl
    ? { webhookUrlEnc: encryptSecret(input.webhookUrl, secretKey), webhookOrigin: new URL(input.webhookUrl).origin }
    : storedWebhook!;
  return {
    name: input.name,
    connectorId: input.connectorId,
    condition: input.condition,
    healthStatuses: input.condition === 'HEALTH' ? input.healthStatuses : [],
    threshold: input.condition === 'LAG_SECONDS' || input.condition === 'INGESTION_FAILURES' ? input.threshold : null,
    forMinutes: input.forMinutes,
    format: input.format,
    sendResolved: input.sendResolved,
    enabled: input.enabled,
    ...webhook,
  };
}

async function assertConnector(db: Db, connectorId: string | null): Promise<void> {
  if (!connectorId) return;
  const connector = await db.connector.findUnique({ where: { id: connectorId }, select: { desiredState: true } });
  if (!connector || connector.desiredState === 'DELETED') {
    throw new AppError(ErrorCode.UNPROCESSABLE, `Invalid input — connectorId: no connector has the id "${connectorId}"`, [
      { field: 'connectorId', message: 'is not a connector' },
    ]);
  }
}

export async function createAlertRule(db: Db, input: unknown, secretKey: string): Promise<AlertRuleView> {
  const parsed = parseOrThrow(ZAlertRuleInput, input);
  await assertConnector(db, parsed.connectorId);
  const row = await db.alertRule.create({ data: ruleFields(parsed, secretKey) }).catch(rethrowNameTaken(parsed.name));
  return getAlertRule(db, row.id);
}

/**
 * Replaces a rule's settings; a blank webhook keeps the stored one. A changed condition starts
 * over: the rule's state is cleared, so what still holds fires afresh (and nothing resolves).
 */
export async function updateAlertRule(db: Db, id: string, input: unknown, secretKey: string): Promise<AlertRuleView> {
  const parsed = parseOrThrow(ZAlertRuleUpdate, input);
  const stored = await findRule(db, id, {});
  await assertConnector(db, parsed.connectorId);
  const fields = ruleFields(parsed, secretKey, stored);
  const conditionChanged =
    stored.condition !== fields.condition ||
    stored.connectorId !== fields.connectorId ||
    stored.threshold !== fields.threshold ||
    stored.forMinutes !== fields.forMinutes ||
    stored.healthStatuses.join() !== fields.healthStatuses.join();
  await db.$transaction(async (tx) => {
    await tx.alertRule.update({ where: { id }, data: fields }).catch(rethrowNameTaken(fields.name));
    if (conditionChanged || !fields.enabled) await tx.alertState.deleteMany({ where: { ruleId: id } });
  });
  return getAlertRule(db, id);
}

export async function deleteAlertRule(db: Db, id: string): Promise<void> {
  await findRule(db, id, {});
  await db.alertRule.delete({ where: { id } });
}

function rethrowNameTaken(name: string) {
  return (error: unknown): never => {
    if (isUniqueViolation(error)) {
      throw new AppError(ErrorCode.CONFLICT, `An alert rule named "${name}" already exists`, [{ field: 'name', message: 'is already taken' }]);
    }
    throw error;
  };
}
