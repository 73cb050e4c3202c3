import { auditActorOf } from '@/lib/auth/principal';
import { deleteKafkaConnection } from '@/lib/connections/delete-connection';
import { getKafkaConnection } from '@/lib/connections/read-connections';
import { updateKafkaConnection } from '@/lib/connections/save-connections';
import { readJsonBody, route } from '../../../_lib/route-handler';
import { webContext } from '../../../_lib/web-context';

export const dynamic = 'force-dynamic';

export const GET = route<{ id: string }>('read', async (_request, { params }) => {
  const { id } = await params;
  return Response.json({ connection: await getKafkaConnection(webContext().db, id) });
});

export const PUT = route<{ id: string }>('administer', async (request, { params, principal }) => {
  const { id } = await params;
  const { db, env, outbound } = webContext();
  return Response.json({ connection: await updateKafkaConnection(db, id, await readJsonBody(request), env.KASTOR_SECRET_KEY, { outbound, actor: auditActorOf(principal) }) });
});

export const DELETE = route<{ id: string }>('administer', async (_request, { params, principal }) => {
  const { id } = await params;
  await deleteKafkaConnection(webContext().db, id, auditActorOf(principal));
  return new Response(null, { status: 204 });
});
