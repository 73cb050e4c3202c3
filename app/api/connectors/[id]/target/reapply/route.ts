import { reapplyTarget } from '@/lib/kql/reapply-target';
import { actorOf, route } from '../../../../_lib/route-handler';
import { webContext } from '../../../../_lib/web-context';

export const dynamic = 'force-dynamic';

export const POST = route<{ id: string }>(async (request, { params }) => {
  const { id } = await params;
  const { db, env } = webContext();
  return Response.json({ results: await reapplyTarget(db, id, actorOf(request), env.KASTOR_SECRET_KEY) });
});
