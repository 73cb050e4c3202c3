import 'server-only';
import { asAuditActor, type TActorInput } from '../auth/principal';
import type { Db } from '../db/prisma';
import { withConnectorTarget } from '../kusto/open-connector-target';
import { applyTargetCommands, TargetApplyError } from './apply-target-commands';
import type { AppliedCommand } from './target-view';

/** Re-runs the connector's idempotent target commands, e.g. after someone changed a policy by hand. */
export async function reapplyTarget(db: Db, id: string, actor: TActorInput, secretKey: string): Promise<AppliedCommand[]> {
  const results = await withConnectorTarget(db, id, secretKey, async ({ definition }, kusto) => {
    try {
      return await applyTargetCommands(kusto.query, definition);
    } catch (error) {
      if (error instanceof TargetApplyError) return error.results;
      throw error;
    }
  });
  await db.auditEvent.create({
    data: { ...asAuditActor(actor), connectorId: id, action: 'reapply-target', detail: { results: results.map(({ purpose, ok, error }) => ({ purpose, ok, error: error ?? null })) } },
  });
  return results;
}
