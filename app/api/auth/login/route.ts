import { beginSignIn } from '@/lib/auth/oidc-sign-in';
import { AppError, ErrorCode } from '@/lib/errors';
import { publicRoute } from '../../_lib/route-handler';
import { cookieHeader, signInCookieName } from '../../_lib/session-cookie';
import { webContext } from '../../_lib/web-context';

export const dynamic = 'force-dynamic';

/** `?returnTo=/path`: off to the identity provider (authorization code + PKCE), back to the callback. */
export const GET = publicRoute(async (request) => {
  const { signIn, env, secureCookies } = webContext();
  if (!signIn) throw new AppError(ErrorCode.NOT_FOUND, 'Sign-in is not configured: set KASTOR_AUTH_AUTHORITY, KASTOR_AUTH_CLIENT_ID and a client secret or certificate');
  const { url, pendingCookie } = await beginSignIn(signIn, new URL(request.url).searchParams.get('returnTo') ?? '/', env.KASTOR_SECRET_KEY);
  const headers = new Headers({ Location: url, 'Cache-Control': 'no-store' });
  headers.append('Set-Cookie', cookieHeader(signInCookieName(secureCookies), pendingCookie, { secure: secureCookies, maxAgeSeconds: 15 * 60 }));
  return new Response(null, { status: 302, headers });
});
