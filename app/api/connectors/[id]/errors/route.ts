import type { ConnectorErrorsView } from '@/lib/connectors/connector-views';
import { countConnectorErrorsByKind, listConnectorErrors } from '@/lib/connectors/read-connectors';
import { route } from '../../../_lib/route-handler';
import { webContext } from '../../../_lib/web-context';

export const dynamic = 'force-dynamic';

export const GET = route<{ id: string }>('read', async (_request, { params }) => {
  const { id } = await params;
  const { db } = webContext();
  const [errors, countsByKind] = await Promise.all([listConnectorErrors(db, id), countConnectorErrorsByKind(db, id)]);
  return Response.json({ errors, countsByKind } satisfies ConnectorErrorsView);
});
