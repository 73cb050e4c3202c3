import { auditActorOf } from '@/lib/auth/principal';
import { endSession } from '@/lib/auth/sessions';
import { readCookie, route } from '../../_lib/route-handler';
import { cookieHeader, sessionCookieName } from '../../_lib/session-cookie';
import { webContext } from '../../_lib/web-context';

export const dynamic = 'force-dynamic';

/**
 * Ends the session on the server (the row goes) and clears the cookie. The answer names the
 * provider's end-session endpoint (Entra's and the local provider's `/oauth2/v2.0/logout`), where
 * the page goes next so the provider forgets the user too.
 */
export const POST = route('read', async (request, { principal }) => {
  const { db, secureCookies, signIn, env } = webContext();
  const token = readCookie(request, sessionCookieName(secureCookies));
  if (token) {
    await endSession(db, token);
    await db.auditEvent.create({ data: { ...auditActorOf(principal), action: 'sign-out' } });
  }
  const headers = new Headers({ 'Cache-Control': 'no-store' });
  headers.append('Set-Cookie', cookieHeader(sessionCookieName(secureCookies), '', { secure: secureCookies, maxAgeSeconds: 0 }));
  let endSessionUrl: string | null = null;
  if (signIn && principal.via === 'session') {
    const url = new URL(`${signIn.authority.replace(/\/+$/, '')}/oauth2/v2.0/logout`);
    url.searchParams.set('client_id', signIn.clientId);
    url.searchParams.set('post_logout_redirect_uri', new URL('/sign-in', env.KASTOR_PUBLIC_URL).toString());
    endSessionUrl = url.toString();
  }
  return Response.json({ signedOut: true, endSessionUrl }, { headers });
});
