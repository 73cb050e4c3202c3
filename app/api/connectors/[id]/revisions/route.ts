import { listConnectorRevisions } from '@/lib/connectors/connector-revisions';
import { route } from '../../../_lib/route-handler';
import { webContext } from '../../../_lib/web-context';

export const dynamic = 'force-dynamic';

export const GET = route<{ id: string }>('read', async (_request, { params }) => {
  const { id } = await params;
  return Response.json({ revisions: await listConnectorRevisions(webContext().db, id) });
});
