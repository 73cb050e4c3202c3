import type { TRole } from './roles';

/** Who a request acts as, once authenticated: a signed-in user (session cookie) or an API token. */
export interface Principal {
  kind: 'USER' | 'TOKEN';
  /** The user's subject at the identity provider, or the token's id. */
  id: string;
  /** A user's name, or the token's name. */
  name: string;
  email: string | null;
  role: TRole;
  /** How the request proved it: a cookie needs the same-origin checks, a bearer token does not. */
  via: 'session' | 'token';
}

/** The actor columns of an AuditEvent. */
export interface TAuditActor {
  actor: string;
  actorKind: 'USER' | 'TOKEN' | 'SYSTEM';
  actorId: string | null;
}

export function auditActorOf(principal: Principal): TAuditActor {
  if (principal.kind === 'TOKEN') return { actor: `token "${principal.name}"`, actorKind: 'TOKEN', actorId: principal.id };
  return { actor: principal.email ?? principal.name, actorKind: 'USER', actorId: principal.id };
}

/** What Kastor's own code does, not a request (npm start's demo, the benchmark, a test's setup). */
export function systemActor(name: string): TAuditActor {
  return { actor: name, actorKind: 'SYSTEM', actorId: null };
}

/**
 * Domain verbs take the route's authenticated actor, or a name for Kastor's own callers, which
 * is recorded as the system. No request header ever becomes an actor.
 */
export type TActorInput = TAuditActor | string;

export function asAuditActor(actor: TActorInput): TAuditActor {
  return typeof actor === 'string' ? systemActor(actor) : actor;
}
