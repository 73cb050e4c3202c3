import { auditActorOf } from '@/lib/auth/principal';
import { createConnector } from '@/lib/connectors/save-connector';
import { listConnectors } from '@/lib/connectors/read-connectors';
import { readJsonBody, route } from '../_lib/route-handler';
import { webContext } from '../_lib/web-context';

export const dynamic = 'force-dynamic';

export const GET = route('read', async () => Response.json({ connectors: await listConnectors(webContext().db) }));

export const POST = route('administer', async (request, { principal }) => {
  const connector = await createConnector(webContext().db, await readJsonBody(request), auditActorOf(principal));
  return Response.json({ connector }, { status: 201 });
});
