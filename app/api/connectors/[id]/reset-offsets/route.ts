import { auditActorOf } from '@/lib/auth/principal';
import { resetConnectorOffsets } from '@/lib/connectors/reset-offsets';
import { readJsonBody, route } from '../../../_lib/route-handler';
import { webContext } from '../../../_lib/web-context';

export const dynamic = 'force-dynamic';

export const POST = route<{ id: string }>('operate', async (request, { params, principal }) => {
  const { id } = await params;
  const { db, env } = webContext();
  const partitions = await resetConnectorOffsets(db, id, await readJsonBody(request), auditActorOf(principal), env.KASTOR_SECRET_KEY);
  return Response.json({ partitions });
});
