import 'server-only';
import type { Db } from '../db/prisma';
import type { AlertRule, AlertState, Prisma } from '../generated/prisma/client';
import { describeCondition } from './alert-rule-definition';
import { decideTransition, evaluateCondition } from './evaluate-alert';
import { readAlertSubjects, type AlertSubject } from './read-alert-snapshot';

export interface AlertEvaluationResult {
  fired: string[];
  resolved: string[];
}

/**
 * Evaluates the enabled rules that watch each connector (its own and the global ones) and claims
 * each transition in Postgres. Called by the holder of the connectors' leases once per metrics
 * cycle, with every connector it holds: the rules and the figures are read once for all of them;
 * a connector whose evaluation fails is reported to `onError` and the others go on.
 * Leases can overlap at a hand-over, so a transition is a compare-and-set on the rule's state row
 * and its event is unique per rule, connector, episode and kind: of several workers noticing
 * the same transition exactly one records it. Sending is left to the delivery loop.
 */
export async function evaluateConnectorAlerts(db: Db, connectorIds: string[], onError: (connectorId: string, error: Error) => void, now = Date.now()): Promise<Map<string, AlertEvaluationResult>> {
  const results = new Map<string, AlertEvaluationResult>();
  if (connectorIds.length === 0) return results;
  const rules = await db.alertRule.findMany({
    where: { enabled: true, OR: [{ connectorId: { in: connectorIds } }, { connectorId: null }] },
    include: { states: { where: { connectorId: { in: connectorIds } } } },
  });
  if (rules.length === 0) return results;
  const states = new Map(rules.flatMap((rule) => rule.states.map((state) => [`${rule.id}/${state.connectorId}`, state])));
  const rulesOf = new Map(connectorIds.map((id) => [id, rules.filter((rule) => rule.connectorId === null || rule.connectorId === id)]));
  const watched = connectorIds.filter((id) => rulesOf.get(id)!.length > 0);
  // Ingestion failures are counted over each rule's window; the other conditions share the widest.
  const widest = (id: string) => Math.max(0, ...rulesOf.get(id)!.filter((rule) => rule.condition === 'INGESTION_FAILURES').map((rule) => rule.forMinutes));
  const subjects = await readAlertSubjects(db, watched, [...watched.map(widest), ...rules.filter((rule) => rule.condition === 'INGESTION_FAILURES').map((rule) => rule.forMinutes)], now);
  for (const connectorId of watched) {
    const subject = subjects.get(connectorId);
    if (!subject) continue;
    const rules = rulesOf.get(connectorId)!;
    await evaluateRules(db, connectorId, subject, rules, (rule) => states.get(`${rule.id}/${connectorId}`), widest(connectorId), now)
      .then((result) => results.set(connectorId, result))
      .catch((error: Error) => onError(connectorId, error));
  }
  return results;
}

/** One connector's rules: its own transitions claimed one by one. */
async function evaluateRules(
  db: Db,
  connectorId: string,
  connector: AlertSubject,
  rules: AlertRule[],
  stateOf: (rule: AlertRule) => AlertState | undefined,
  windowMinutes: number,
  now: number,
): Promise<AlertEvaluationResult> {
  const result: AlertEvaluationResult = { fired: [], resolved: [] };
  for (const rule of rules) {
    const snapshot = connector.snapshotFor(rule.condition === 'INGESTION_FAILURES' ? rule.forMinutes : windowMinutes);
    const outcome = evaluateCondition(rule, snapshot);
    const state = stateOf(rule);
    const holdMs = rule.condition === 'INGESTION_FAILURES' ? 0 : rule.forMinutes * 60_000;
    const transition = decideTransition(
      { firing: state?.firing ?? false, pendingSince: state?.pendingSince?.getTime() ?? null },
      outcome.holds,
      now,
      holdMs,
    );
    const key = { ruleId: rule.id, connectorId };
    const condition = describeCondition(rule);
    const detail: Prisma.InputJsonObject = {
      condition,
      reason: outcome.reason,
      health: snapshot.health.status,
      actualState: snapshot.actualState,
      lagSeconds: snapshot.lagSeconds,
      totalLag: snapshot.totalLag,
      ingestionFailures: snapshot.ingestionFailures,
    };
    switch (transition.kind) {
      case 'none':
        break;
      case 'pending':
        await db.$executeRaw`
          INSERT INTO "AlertState" ("ruleId", "connectorId", "pendingSince", "updatedAt")
          VALUES (${rule.id}::uuid, ${connectorId}::uuid, ${new Date(transition.since)}, now())
          ON CONFLICT ("ruleId", "connectorId") DO UPDATE SET "pendingSince" = COALESCE("AlertState"."pendingSince", EXCLUDED."pendingSince"), "updatedAt" = now()
          WHERE NOT "AlertState"."firing"`;
        break;
      case 'clear-pending':
        await db.alertState.updateMany({ where: { ...key, firing: false }, data: { pendingSince: null, updatedAt: new Date() } });
        break;
      case 'fire': {
        const claimed = await db.$transaction(async (tx) => {
          const rows = await tx.$queryRaw<{ episode: number }[]>`
            INSERT INTO "AlertState" ("ruleId", "connectorId", "firing", "episode", "updatedAt")
            VALUES (${rule.id}::uuid, ${connectorId}::uuid, true, 1, now())
            ON CONFLICT ("ruleId", "connectorId") DO UPDATE SET "firing" = true, "episode" = "AlertState"."episode" + 1, "pendingSince" = NULL, "updatedAt" = now()
            WHERE NOT "AlertState"."firing"
            RETURNING "episode"`;
          if (rows.length === 0) return false;
          await tx.alertEvent.create({
            data: { ...key, kind: 'FIRING', episode: rows[0].episode, summary: `${connector.name}: ${condition} — ${outcome.reason}`, detail },
          });
          return true;
        });
        if (claimed) result.fired.push(rule.name);
        break;
      }
      case 'resolve': {
        const claimed = await db.$transaction(async (tx) => {
          const rows = await tx.$queryRaw<{ episode: number }[]>`
            UPDATE "AlertState" SET "firing" = false, "pendingSince" = NULL, "updatedAt" = now()
            WHERE "ruleId" = ${rule.id}::uuid AND "connectorId" = ${connectorId}::uuid AND "firing"
            RETURNING "episode"`;
          if (rows.length === 0) return false;
          if (rule.sendResolved) {
            await tx.alertEvent.create({
              data: { ...key, kind: 'RESOLVED', episode: rows[0].episode, summary: `${connector.name}: resolved — ${outcome.reason}`, detail },
            });
          }
          return true;
        });
        if (claimed) result.resolved.push(rule.name);
        break;
      }
    }
  }
  return result;
}
