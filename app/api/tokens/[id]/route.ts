import { revokeApiToken } from '@/lib/auth/api-tokens';
import { auditActorOf } from '@/lib/auth/principal';
import { route } from '../../_lib/route-handler';
import { webContext } from '../../_lib/web-context';

export const dynamic = 'force-dynamic';

/** Revokes the token; it is kept (revoked) so the audit log and the list still name it. */
export const DELETE = route<{ id: string }>('administer', async (_request, { params, principal }) => {
  const { id } = await params;
  return Response.json({ token: await revokeApiToken(webContext().db, id, auditActorOf(principal)) });
});
