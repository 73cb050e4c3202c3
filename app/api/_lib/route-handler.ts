import 'server-only';
import { apiTokenPrincipal } from '@/lib/auth/api-tokens';
import type { Principal } from '@/lib/auth/principal';
import { can, leastRoleFor, ROLE_LABELS, type TPermission } from '@/lib/auth/roles';
import { sessionPrincipal } from '@/lib/auth/sessions';
import { AppError, ErrorCode, httpStatusByCode } from '@/lib/errors';
import { assertAllowedHost, assertDeclaredSize, assertJsonContentType, assertSameOrigin, isMutation, readJsonWithin } from '@/lib/http/request-guard';
import { sessionCookieName } from './session-cookie';
import { webContext } from './web-context';

type NextHandler<P> = (request: Request, context: { params: Promise<P> }) => Promise<Response>;
type Handler<P> = (request: Request, context: { params: Promise<P>; principal: Principal }) => Promise<Response>;
type PublicHandler<P> = (request: Request, context: { params: Promise<P> }) => Promise<Response>;

function errorResponse(request: Request, error: unknown): Response {
  if (error instanceof AppError) {
    return Response.json(
      { ...error.payload, error: { code: error.code, message: error.message, ...(error.issues.length ? { issues: error.issues } : {}) } },
      { status: httpStatusByCode[error.code] },
    );
  }
  console.error(`${request.method} ${new URL(request.url).pathname} failed`, error);
  return Response.json({ error: { code: ErrorCode.INTERNAL, message: 'Internal error' } }, { status: 500 });
}

export function readCookie(request: Request, name: string): string | undefined {
  for (const part of (request.headers.get('cookie') ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

/** A bearer API token, else the session cookie; null when neither proves anyone. */
async function authenticate(request: Request): Promise<Principal | null> {
  const { db, secureCookies } = webContext();
  const authorization = request.headers.get('authorization');
  if (authorization !== null) {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
    // A wrong token is refused outright rather than falling back to a cookie the caller did not mean.
    return token ? apiTokenPrincipal(db, token) : null;
  }
  const session = readCookie(request, sessionCookieName(secureCookies));
  return session ? sessionPrincipal(db, session) : null;
}

/**
 * Every API route: the Host is one this server answers to; the caller is signed in (session or
 * API token) and its role has `permission`; a mutation is JSON within the size limit and, with a
 * cookie, comes from a page of this site. Domain errors map to their status through the one
 * error table; anything unexpected is a 500 that leaks nothing.
 */
export function route<P = Record<string, never>>(permission: TPermission, handler: Handler<P>): NextHandler<P> {
  return async (request, context) => {
    try {
      const { requests } = webContext();
      assertAllowedHost(request, requests);
      if (isMutation(request.method)) {
        assertJsonContentType(request);
        assertDeclaredSize(request, requests);
      }
      const principal = await authenticate(request);
      if (!principal) throw new AppError(ErrorCode.UNAUTHENTICATED, 'Sign in, or send an API token as "Authorization: Bearer <token>"');
      if (principal.via === 'session' && isMutation(request.method)) assertSameOrigin(request);
      requirePermission(principal, permission);
      return await handler(request, { params: context.params, principal });
    } catch (error) {
      return errorResponse(request, error);
    }
  };
}

/** For a route whose permission depends on its input (the delete action needs more than pause). */
export function requirePermission(principal: Principal, permission: TPermission): void {
  if (!can(principal.role, permission)) {
    const needed = ROLE_LABELS[leastRoleFor(permission)].title;
    throw new AppError(ErrorCode.FORBIDDEN, `This needs the ${needed} role; ${principal.kind === 'TOKEN' ? 'the token has' : 'you have'} ${ROLE_LABELS[principal.role].title}`);
  }
}

/** The sign-in endpoints themselves: no session yet, but the Host check and the error table still apply. */
export function publicRoute<P = Record<string, never>>(handler: PublicHandler<P>): NextHandler<P> {
  return async (request, context) => {
    try {
      assertAllowedHost(request, webContext().requests);
      return await handler(request, context);
    } catch (error) {
      return errorResponse(request, error);
    }
  };
}

export async function readJsonBody(request: Request): Promise<unknown> {
  return readJsonWithin(request, webContext().requests);
}
