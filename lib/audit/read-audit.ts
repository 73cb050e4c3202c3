import 'server-only';
import type { Db } from '../db/prisma';
import { parseOrThrow } from '../errors';
import type { Prisma } from '../generated/prisma/client';
import { AUDIT_PAGE_SIZE, ZAuditQuery, type AuditPage } from './audit-contracts';

/** Newest first, one page at a time; filters combine. */
export async function listAuditEvents(db: Db, query: unknown): Promise<AuditPage> {
  const { connectorId, actor, action, before } = parseOrThrow(ZAuditQuery, query);
  const where: Prisma.AuditEventWhereInput = {
    ...(connectorId ? { connectorId } : {}),
    ...(actor ? { actor } : {}),
    ...(action ? { action } : {}),
    ...(before ? { id: { lt: BigInt(before) } } : {}),
  };
  const [rows, actions, actors] = await Promise.all([
    db.auditEvent.findMany({ where, orderBy: { id: 'desc' }, take: AUDIT_PAGE_SIZE + 1, include: { connector: { select: { id: true, name: true } } } }),
    db.auditEvent.findMany({ distinct: ['action'], select: { action: true }, orderBy: { action: 'asc' } }),
    db.auditEvent.findMany({ distinct: ['actor'], select: { actor: true }, orderBy: { actor: 'asc' } }),
  ]);
  const page = rows.slice(0, AUDIT_PAGE_SIZE);
  return {
    events: page.map((row) => ({
      id: Number(row.id),
      at: row.at.toISOString(),
      action: row.action,
      actor: row.actor,
      actorKind: row.actorKind,
      connector: row.connector,
      detail: row.detail,
    })),
    nextBefore: rows.length > AUDIT_PAGE_SIZE ? Number(page[page.length - 1].id) : null,
    actions: actions.map((row) => row.action),
    actors: actors.map((row) => row.actor),
  };
}
