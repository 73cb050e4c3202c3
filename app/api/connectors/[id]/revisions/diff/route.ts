import { z } from 'zod';
import { diffConnectorRevisions } from '@/lib/connectors/connector-revisions';
import { ZRevision } from '@/lib/connectors/save-connector';
import { parseOrThrow } from '@/lib/errors';
import { route } from '../../../../_lib/route-handler';
import { webContext } from '../../../../_lib/web-context';

export const dynamic = 'force-dynamic';

const ZDiffQuery = z.object({ from: z.coerce.number().pipe(ZRevision), to: z.coerce.number().pipe(ZRevision) });

export const GET = route<{ id: string }>('read', async (request, { params }) => {
  const { id } = await params;
  const query = parseOrThrow(ZDiffQuery, Object.fromEntries(new URL(request.url).searchParams));
  return Response.json(await diffConnectorRevisions(webContext().db, id, query.from, query.to));
});
