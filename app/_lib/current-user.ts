import 'server-only';
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import type { SessionUserView } from '@/lib/auth/roles';
import { sessionPrincipal } from '@/lib/auth/sessions';
import { sessionCookieName } from '../api/_lib/session-cookie';
import { webContext } from '../api/_lib/web-context';

/** The signed-in user of this page request, or null (no cookie, or a session that ended). */
export async function currentUser(): Promise<SessionUserView | null> {
  // cookies() first: it marks the page as rendered per request, so `next build` never prerenders it (without the environment).
  const jar = await cookies();
  const { db, secureCookies } = webContext();
  const token = jar.get(sessionCookieName(secureCookies))?.value;
  const principal = token ? await sessionPrincipal(db, token) : null;
  return principal ? { name: principal.name, email: principal.email, role: principal.role } : null;
}

/** For pages: the user, or off to the sign-in page with the way back (set by proxy.ts). */
export async function requireUser(): Promise<SessionUserView> {
  const user = await currentUser();
  if (!user) {
    const returnTo = (await headers()).get('x-kastor-path') ?? '/';
    redirect(`/sign-in?returnTo=${encodeURIComponent(returnTo)}`);
  }
  return user;
}
