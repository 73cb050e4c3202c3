import { auditActorOf } from '@/lib/auth/principal';
import { reapplyTarget } from '@/lib/kql/reapply-target';
import { route } from '../../../../_lib/route-handler';
import { webContext } from '../../../../_lib/web-context';

export const dynamic = 'force-dynamic';

export const POST = route<{ id: string }>('administer', async (request, { params, principal }) => {
  const { id } = await params;
  const { db, env } = webContext();
  return Response.json({ results: await reapplyTarget(db, id, auditActorOf(principal), env.KASTOR_SECRET_KEY) });
});
