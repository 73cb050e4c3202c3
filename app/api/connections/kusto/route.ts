import { listKustoConnections } from '@/lib/connections/read-connections';
import { createKustoConnection } from '@/lib/connections/save-connections';
import { readJsonBody, route } from '../../_lib/route-handler';
import { webContext } from '../../_lib/web-context';

export const dynamic = 'force-dynamic';

export const GET = route(async () => Response.json({ connections: await listKustoConnections(webContext().db) }));

export const POST = route(async (request) => {
  const { db, env } = webContext();
  return Response.json({ connection: await createKustoConnection(db, await readJsonBody(request), env.KASTOR_SECRET_KEY) }, { status: 201 });
});
