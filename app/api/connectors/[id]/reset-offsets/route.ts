import { resetConnectorOffsets } from '@/lib/connectors/reset-offsets';
import { actorOf, readJsonBody, route } from '../../../_lib/route-handler';
import { webContext } from '../../../_lib/web-context';

export const dynamic = 'force-dynamic';

export const POST = route<{ id: string }>(async (request, { params }) => {
  const { id } = await params;
  const { db, env } = webContext();
  const partitions = await resetConnectorOffsets(db, id, await readJsonBody(request), actorOf(request), env.KASTOR_SECRET_KEY);
  return Response.json({ partitions });
});
