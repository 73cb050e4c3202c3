import { z } from 'zod';
import { auditActorOf } from '@/lib/auth/principal';
import { rollBackConnector } from '@/lib/connectors/connector-revisions';
import { ZRevision } from '@/lib/connectors/save-connector';
import { parseOrThrow } from '@/lib/errors';
import { readJsonBody, route } from '../../../../../_lib/route-handler';
import { webContext } from '../../../../../_lib/web-context';

export const dynamic = 'force-dynamic';

const ZRollbackBody = z.object({ expectedRevision: ZRevision.optional() }).strict();

export const POST = route<{ id: string; revision: string }>('administer', async (request, { params, principal }) => {
  const { id, revision } = await params;
  const body = parseOrThrow(ZRollbackBody, await readJsonBody(request));
  const connector = await rollBackConnector(webContext().db, id, parseOrThrow(z.coerce.number().pipe(ZRevision), revision), auditActorOf(principal), body.expectedRevision);
  return Response.json({ connector }, { status: 201 });
});
