import { NextResponse, type NextRequest } from 'next/server';
import { AppError, httpStatusByCode } from '@/lib/errors';
import { parseEnv, ZWebEnv } from '@/lib/env';
import { allowedHostsOf, assertAllowedHost, malformedPathSegment, type RequestPolicy } from '@/lib/http/request-guard';

/**
 * In front of every page and API request: a Host this server answers to (DNS rebinding gets 421),
 * a path that decodes (malformed percent-encoding gets 400, not a decoder's 500), and for pages a
 * session cookie, else the sign-in page. The API routes check the session themselves (route()),
 * and pages check it is still valid when they render (app/layout.tsx).
 */
let policy: RequestPolicy | undefined;
let cookieName: string | undefined;

function settings(): { policy: RequestPolicy; cookieName: string } {
  if (!policy || !cookieName) {
    const env = parseEnv(ZWebEnv, process.env);
    policy = { allowedHosts: allowedHostsOf(env.KASTOR_PUBLIC_URL, env.KASTOR_ALLOWED_HOSTS), maxBodyBytes: env.KASTOR_MAX_BODY_BYTES };
    cookieName = env.KASTOR_PUBLIC_URL.startsWith('https:') ? '__Host-kastor_session' : 'kastor_session';
  }
  return { policy, cookieName };
}

const PUBLIC_PAGES = new Set(['/sign-in']);

function refusal(status: number, code: string, message: string): NextResponse {
  return NextResponse.json({ error: { code, message } }, { status });
}

/** No page of Kastor is meant to be framed or to leak its URL to other sites. */
function withSecurityHeaders(response: NextResponse): NextResponse {
  response.headers.set('Content-Security-Policy', "frame-ancestors 'none'");
  response.headers.set('X-Frame-Options', 'DENY');
  response.headers.set('X-Content-Type-Options', 'nosniff');
  response.headers.set('Referrer-Policy', 'same-origin');
  return response;
}

export function proxy(request: NextRequest): NextResponse {
  const { policy: requestPolicy, cookieName: sessionCookie } = settings();
  try {
    assertAllowedHost(request, requestPolicy);
  } catch (error) {
    if (error instanceof AppError) return refusal(httpStatusByCode[error.code], error.code, error.message);
    throw error;
  }
  const rawPath = new URL(request.url).pathname;
  const malformed = malformedPathSegment(rawPath);
  if (malformed !== null) return refusal(400, 'VALIDATION', `The path segment "${malformed.slice(0, 100)}" is not valid percent-encoding`);
  if (rawPath.startsWith('/api/')) return withSecurityHeaders(NextResponse.next());

  const headers = new Headers(request.headers);
  headers.set('x-kastor-path', `${rawPath}${new URL(request.url).search}`);
  if (!PUBLIC_PAGES.has(rawPath) && !request.cookies.has(sessionCookie)) {
    const signIn = new URL('/sign-in', request.url);
    signIn.searchParams.set('returnTo', `${rawPath}${new URL(request.url).search}`);
    return withSecurityHeaders(NextResponse.redirect(signIn));
  }
  return withSecurityHeaders(NextResponse.next({ request: { headers } }));
}

export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'],
};
