import 'server-only';
import type { Db } from '../db/prisma';
import { AppError, ErrorCode, parseOrThrow } from '../errors';
import type { ApiToken } from '../generated/prisma/client';
import { API_TOKEN_PREFIX, ZCreateApiToken, type ApiTokenView, type CreatedApiToken } from './api-token-contracts';
import { hashOpaqueToken, newOpaqueToken } from './opaque-token';
import { asAuditActor, type Principal, type TActorInput } from './principal';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** As for sessions: the last-used time is shown to the minute, so it is written at most once a minute. */
const LAST_USED_RESOLUTION_MS = 60_000;
const PREFIX_SHOWN = API_TOKEN_PREFIX.length + 4;

function toView(row: ApiToken): ApiTokenView {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    role: row.role,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

export async function createApiToken(db: Db, input: unknown, actorInput: TActorInput): Promise<CreatedApiToken> {
  const actor = asAuditActor(actorInput);
  const { name, role, expiresInDays } = parseOrThrow(ZCreateApiToken, input);
  const { token, hash } = newOpaqueToken(API_TOKEN_PREFIX);
  const expiresAt = expiresInDays === undefined ? null : new Date(Date.now() + expiresInDays * 86_400_000);
  const row = await db.$transaction(async (tx) => {
    const created = await tx.apiToken.create({ data: { name, role, tokenHash: hash, prefix: token.slice(0, PREFIX_SHOWN), createdBy: actor.actor, expiresAt } });
    await tx.auditEvent.create({ data: { ...actor, action: 'create-api-token', detail: { tokenId: created.id, name, role, expiresAt: expiresAt?.toISOString() ?? null } } });
    return created;
  });
  return { apiToken: toView(row), token };
}

export async function listApiTokens(db: Db): Promise<ApiTokenView[]> {
  return (await db.apiToken.findMany({ orderBy: [{ revokedAt: { sort: 'desc', nulls: 'first' } }, { createdAt: 'desc' }] })).map(toView);
}

/** Revoking twice is a no-op; the token stops working at once. */
export async function revokeApiToken(db: Db, id: string, actorInput: TActorInput): Promise<ApiTokenView> {
  const actor = asAuditActor(actorInput);
  const row = UUID.test(id) ? await db.apiToken.findUnique({ where: { id } }) : null;
  if (!row) throw new AppError(ErrorCode.NOT_FOUND, `No API token has the id "${id}"`);
  if (row.revokedAt) return toView(row);
  const revoked = await db.$transaction(async (tx) => {
    const updated = await tx.apiToken.update({ where: { id }, data: { revokedAt: new Date() } });
    await tx.auditEvent.create({ data: { ...actor, action: 'revoke-api-token', detail: { tokenId: id, name: row.name, role: row.role } } });
    return updated;
  });
  return toView(revoked);
}

/** The principal of a bearer token, or null when it is unknown, revoked or expired. */
export async function apiTokenPrincipal(db: Db, token: string): Promise<Principal | null> {
  if (!token.startsWith(API_TOKEN_PREFIX) || token.length > 200) return null;
  const row = await db.apiToken.findUnique({ where: { tokenHash: hashOpaqueToken(token) } });
  const now = Date.now();
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt.getTime() <= now)) return null;
  if (!row.lastUsedAt || now - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date(now) } });
  }
  return { kind: 'TOKEN', id: row.id, name: row.name, email: null, role: row.role, via: 'token' };
}
