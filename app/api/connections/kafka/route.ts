import { auditActorOf } from '@/lib/auth/principal';
import { listKafkaConnections } from '@/lib/connections/read-connections';
import { createKafkaConnection } from '@/lib/connections/save-connections';
import { readJsonBody, route } from '../../_lib/route-handler';
import { webContext } from '../../_lib/web-context';

export const dynamic = 'force-dynamic';

export const GET = route('read', async () => Response.json({ connections: await listKafkaConnections(webContext().db) }));

export const POST = route('administer', async (request, { principal }) => {
  const { db, env, outbound } = webContext();
  const connection = await createKafkaConnection(db, await readJsonBody(request), env.KASTOR_SECRET_KEY, { outbound, actor: auditActorOf(principal) });
  return Response.json({ connection }, { status: 201 });
});
