import { inspectTarget } from '@/lib/kql/inspect-target';
import { route } from '../../../_lib/route-handler';
import { webContext } from '../../../_lib/web-context';

export const dynamic = 'force-dynamic';

export const GET = route<{ id: string }>('read', async (_request, { params }) => {
  const { id } = await params;
  const { db, env } = webContext();
  return Response.json(await inspectTarget(db, id, env.KASTOR_SECRET_KEY));
});
