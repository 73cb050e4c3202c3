import 'server-only';
import type { Db } from '../db/prisma';
import { AppError, ErrorCode } from '../errors';
import type { Prisma } from '../generated/prisma/client';
import { describeCondition, type AlertDeliveryView, type AlertRuleView } from './alert-rule-definition';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const ruleInclude = {
  connector: { select: { id: true, name: true } },
  states: { where: { firing: true }, include: { connector: { select: { id: true, name: true } } }, orderBy: { updatedAt: 'asc' } },
} satisfies Prisma.AlertRuleInclude;

type RuleRow = Prisma.AlertRuleGetPayload<{ include: typeof ruleInclude }>;

function toRuleView(row: RuleRow): AlertRuleView {
  return {
    id: row.id,
    name: row.name,
    connector: row.connector,
    condition: row.condition,
    healthStatuses: row.healthStatuses,
    threshold: row.threshold,
    forMinutes: row.forMinutes,
    description: describeCondition(row),
    format: row.format,
    webhookOrigin: row.webhookOrigin,
    sendResolved: row.sendResolved,
    enabled: row.enabled,
    firing: row.states.map((state) => ({ id: state.connector.id, name: state.connector.name, since: state.updatedAt.toISOString() })),
  };
}

export async function listAlertRules(db: Db): Promise<AlertRuleView[]> {
  return (await db.alertRule.findMany({ include: ruleInclude, orderBy: { name: 'asc' } })).map(toRuleView);
}

export async function getAlertRule(db: Db, id: string): Promise<AlertRuleView> {
  return toRuleView(await findRule(db, id, ruleInclude));
}

export async function findRule<I extends Prisma.AlertRuleInclude>(db: Db, id: string, include: I) {
  const row = UUID.test(id) ? await db.alertRule.findUnique({ where: { id }, include }) : null;
  if (!row) throw new AppError(ErrorCode.NOT_FOUND, `No alert rule has the id "${id}"`);
  return row;
}

/** A rule's delivery log, newest attempt first: every try of every notification, tests included. */
export async function listAlertDeliveries(db: Db, ruleId: string, limit = 100): Promise<AlertDeliveryView[]> {
  await findRule(db, ruleId, {});
  const rows = await db.alertDelivery.findMany({
    where: { ruleId },
    orderBy: { id: 'desc' },
    take: limit,
    include: { event: { select: { kind: true, summary: true, status: true, connector: { select: { name: true } } } } },
  });
  return rows.map((row) => ({
    id: Number(row.id),
    eventId: Number(row.eventId),
    kind: row.event.kind,
    connectorName: row.event.connector?.name ?? null,
    summary: row.event.summary,
    attempt: row.attempt,
    at: row.at.toISOString(),
    ok: row.ok,
    httpStatus: row.httpStatus,
    error: row.error,
    durationMs: row.durationMs,
    sender: row.sender,
    eventStatus: row.event.status,
  }));
}
