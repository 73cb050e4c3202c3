import { completeSignIn, SignInError } from '@/lib/auth/oidc-sign-in';
import { createSession } from '@/lib/auth/sessions';
import { publicRoute, readCookie } from '../../_lib/route-handler';
import { cookieHeader, sessionCookieName, signInCookieName } from '../../_lib/session-cookie';
import { webContext } from '../../_lib/web-context';

export const dynamic = 'force-dynamic';

/** The redirect URI registered with the identity provider: the code is redeemed and a session begins. */
export const GET = publicRoute(async (request) => {
  const { signIn, env, db, secureCookies } = webContext();
  const headers = new Headers({ 'Cache-Control': 'no-store' });
  // The pending sign-in is single-use whatever happens next.
  headers.append('Set-Cookie', cookieHeader(signInCookieName(secureCookies), '', { secure: secureCookies, maxAgeSeconds: 0 }));
  const signInPage = new URL('/sign-in', env.KASTOR_PUBLIC_URL);
  try {
    if (!signIn) throw new SignInError('Sign-in is not configured on this server.');
    const pending = readCookie(request, signInCookieName(secureCookies));
    const identity = await completeSignIn(signIn, new URL(request.url).searchParams, pending, env.KASTOR_SECRET_KEY);
    const lifetimeMs = env.KASTOR_SESSION_HOURS * 3_600_000;
    const session = await createSession(db, identity, lifetimeMs);
    await db.auditEvent.create({ data: { actor: identity.email ?? identity.name, actorKind: 'USER', actorId: identity.subject, action: 'sign-in', detail: { role: identity.role } } });
    headers.append('Set-Cookie', cookieHeader(sessionCookieName(secureCookies), session.token, { secure: secureCookies, maxAgeSeconds: Math.floor(lifetimeMs / 1000) }));
    headers.set('Location', new URL(identity.returnTo, env.KASTOR_PUBLIC_URL).toString());
  } catch (error) {
    if (!(error instanceof SignInError)) throw error;
    signInPage.searchParams.set('error', error.message);
    headers.set('Location', signInPage.toString());
  }
  return new Response(null, { status: 303, headers });
});
