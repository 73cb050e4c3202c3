import 'server-only';
import type { ValueChange } from '../config/config-document';
import { diffValues } from '../config/diff-values';
import type { Db } from '../db/prisma';
import { AppError, ErrorCode } from '../errors';
import type { TActorInput } from '../auth/principal';
import type { TConnectorDefinition } from './connector-definition';
import { assertConnectorId, getConnector } from './read-connectors';
import type { ConnectorRevisionView, RevisionDiffView } from './revision-view';
import { saveRevisionOnTarget, type SaveOnTargetOptions } from './save-connector-on-target';
import type { SaveConnectorResult } from './save-steps';
import { parseStoredDefinition } from './stored-definition';

/** Every revision, newest first, with who saved it (the create or update audit entry naming it). */
export async function listConnectorRevisions(db: Db, id: string): Promise<ConnectorRevisionView[]> {
  await getConnector(db, id);
  const [revisions, saves] = await Promise.all([
    db.connectorRevision.findMany({ where: { connectorId: id }, orderBy: { revision: 'desc' } }),
    db.auditEvent.findMany({ where: { connectorId: id, action: { in: ['create', 'update'] } }, select: { actor: true, detail: true } }),
  ]);
  const actorOf = new Map(saves.map((save) => [(save.detail as { revision?: number } | null)?.revision, save.actor]));
  return revisions.map((row) => ({
    revision: row.revision,
    createdAt: row.createdAt.toISOString(),
    actor: actorOf.get(row.revision) ?? null,
    definition: parseStoredDefinition(row.definition, { id, revision: row.revision }),
  }));
}

async function revisionDefinition(db: Db, id: string, revision: number) {
  assertConnectorId(id);
  const row = await db.connectorRevision.findUnique({ where: { connectorId_revision: { connectorId: id, revision } } });
  if (!row) throw new AppError(ErrorCode.NOT_FOUND, `Connector ${id} has no revision ${revision}`);
  return parseStoredDefinition(row.definition, { id, revision });
}

/** What changed from one revision to another, leaf by leaf. */
export async function diffConnectorRevisions(db: Db, id: string, from: number, to: number): Promise<RevisionDiffView> {
  const [before, after] = await Promise.all([revisionDefinition(db, id, from), revisionDefinition(db, id, to)]);
  return { from, to, changes: diffValues(before, after) };
}

/** What a draft changes against a saved revision, leaf by leaf, as the diff between two revisions reads. */
export async function diffDraftAgainstRevision(db: Db, id: string, revision: number, draft: TConnectorDefinition): Promise<ValueChange[]> {
  return diffValues(await revisionDefinition(db, id, revision), draft);
}

/**
 * Saves an old revision's definition as a new revision, as any new revision is saved (plan, the
 * target's KQL, save, every step answered): history is never rewritten, and the workers see an
 * ordinary change. `expectedRevision` guards against an edit made meanwhile.
 */
export async function rollBackConnector(
  db: Db,
  id: string,
  toRevision: number,
  actor: TActorInput,
  expectedRevision: number | undefined,
  options: SaveOnTargetOptions,
): Promise<SaveConnectorResult> {
  const definition = await revisionDefinition(db, id, toRevision);
  return saveRevisionOnTarget(db, id, definition, actor, expectedRevision, options);
}
