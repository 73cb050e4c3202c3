import { createApiToken, listApiTokens } from '@/lib/auth/api-tokens';
import { auditActorOf } from '@/lib/auth/principal';
import { readJsonBody, route } from '../_lib/route-handler';
import { webContext } from '../_lib/web-context';

export const dynamic = 'force-dynamic';

export const GET = route('administer', async () => Response.json({ tokens: await listApiTokens(webContext().db) }));

/** `{name, role, expiresInDays?}`: the token is in this answer only; the server keeps its hash. */
export const POST = route('administer', async (request, { principal }) => {
  const created = await createApiToken(webContext().db, await readJsonBody(request), auditActorOf(principal));
  return Response.json(created, { status: 201, headers: { 'Cache-Control': 'no-store' } });
});
