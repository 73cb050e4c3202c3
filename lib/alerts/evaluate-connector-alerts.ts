import 'server-only';
import type { Db } from '../db/prisma';
import type { Prisma } from '../generated/prisma/client';
import { describeCondition } from './alert-rule-definition';
import { decideTransition, evaluateCondition, type AlertSnapshot } from './evaluate-alert';
import { readAlertSnapshot } from './read-alert-snapshot';

export interface AlertEvaluationResult {
  fired: string[];
  resolved: string[];
}

/**
 * Evaluates the enabled rules that watch a connector (its own and the global ones) and claims each
 * transition in Postgres. Called by the holder of the connector's lease once per metrics cycle;
 * leases can overlap at a hand-over, so a transition is a compare-and-set on the rule's state row
 * and its event is unique per rule, connector, episode and kind: of several workers noticing
 * the same transition exactly one records it. Sending is left to the delivery loop.
 */
export async function evaluateConnectorAlerts(db: Db, connectorId: string, now = Date.now()): Promise<AlertEvaluationResult> {
  const result: AlertEvaluationResult = { fired: [], resolved: [] };
  const rules = await db.alertRule.findMany({
    where: { enabled: true, OR: [{ connectorId }, { connectorId: null }] },
    include: { states: { where: { connectorId } } },
  });
  if (rules.length === 0) return result;
  const windowMinutes = Math.max(0, ...rules.filter((rule) => rule.condition === 'INGESTION_FAILURES').map((rule) => rule.forMinutes));
  const connector = await db.connector.findUnique({ where: { id: connectorId }, select: { name: true } });
  if (!connector) return result;
  // One snapshot per rule window for ingestion failures; the other conditions share the first.
  const snapshots = new Map<number, AlertSnapshot | null>();
  const snapshotFor = async (minutes: number) => {
    if (!snapshots.has(minutes)) {
      snapshots.set(minutes, await readAlertSnapshot(db, connectorId, minutes > 0 ? new Date(now - minutes * 60_000) : null, now));
    }
    return snapshots.get(minutes) ?? null;
  };
  await snapshotFor(windowMinutes);

  for (const rule of rules) {
    const snapshot = await snapshotFor(rule.condition === 'INGESTION_FAILURES' ? rule.forMinutes : windowMinutes);
    if (!snapshot) return result;
    const outcome = evaluateCondition(rule, snapshot);
    const state = rule.states[0];
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
