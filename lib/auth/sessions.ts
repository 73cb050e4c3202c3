import 'server-only';
import type { Db } from '../db/prisma';
import { hashOpaqueToken, newOpaqueToken } from './opaque-token';
import type { Principal } from './principal';
import type { TRole } from './roles';

/** The signed-in user as the identity provider named them. */
export interface SessionIdentity {
  subject: string;
  name: string;
  email: string | null;
  role: TRole;
}

/** Writing lastSeenAt on every request would make each page poll a write; once a minute tells enough. */
const LAST_SEEN_RESOLUTION_MS = 60_000;
const SESSION_TOKEN_PREFIX = 'kss_';

export async function createSession(db: Db, identity: SessionIdentity, lifetimeMs: number): Promise<{ token: string; expiresAt: Date }> {
  const { token, hash } = newOpaqueToken(SESSION_TOKEN_PREFIX);
  const expiresAt = new Date(Date.now() + lifetimeMs);
  // Expired sessions of anyone are removed here, the one moment sessions are written anyway.
  await db.session.deleteMany({ where: { expiresAt: { lt: new Date() } } });
  await db.session.create({ data: { tokenHash: hash, subject: identity.subject, name: identity.name, email: identity.email, role: identity.role, expiresAt } });
  return { token, expiresAt };
}

export async function sessionPrincipal(db: Db, token: string): Promise<Principal | null> {
  if (!token.startsWith(SESSION_TOKEN_PREFIX) || token.length > 200) return null;
  const session = await db.session.findUnique({ where: { tokenHash: hashOpaqueToken(token) } });
  if (!session || session.expiresAt.getTime() <= Date.now()) return null;
  if (Date.now() - session.lastSeenAt.getTime() > LAST_SEEN_RESOLUTION_MS) {
    await db.session.update({ where: { id: session.id }, data: { lastSeenAt: new Date() } });
  }
  return { kind: 'USER', id: session.subject, name: session.name, email: session.email, role: session.role, via: 'session' };
}

/** Signing out: the session row goes, so the cookie is worthless even if it was copied. */
export async function endSession(db: Db, token: string): Promise<void> {
  await db.session.deleteMany({ where: { tokenHash: hashOpaqueToken(token) } });
}
