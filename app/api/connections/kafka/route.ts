import { listKafkaConnections } from '@/lib/connections/read-connections';
import { createKafkaConnection } from '@/lib/connections/save-connections';
import { readJsonBody, route } from '../../_lib/route-handler';
import { webContext } from '../../_lib/web-context';

export const dynamic = 'force-dynamic';

export const GET = route(async () => Response.json({ connections: await listKafkaConnections(webContext().db) }));

export const POST = route(async (request) => {
  const { db, env } = webContext();
  return Response.json({ connection: await createKafkaConnection(db, await readJsonBody(request), env.KASTOR_SECRET_KEY) }, { status: 201 });
});
