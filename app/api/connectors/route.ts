import { createConnector } from '@/lib/connectors/save-connector';
import { listConnectors } from '@/lib/connectors/read-connectors';
import { actorOf, readJsonBody, route } from '../_lib/route-handler';
import { webContext } from '../_lib/web-context';

export const dynamic = 'force-dynamic';

export const GET = route(async () => Response.json({ connectors: await listConnectors(webContext().db) }));

export const POST = route(async (request) => {
  const connector = await createConnector(webContext().db, await readJsonBody(request), actorOf(request));
  return Response.json({ connector }, { status: 201 });
});
