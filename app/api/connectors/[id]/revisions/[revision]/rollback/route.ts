import { z } from 'zod';
import { auditActorOf } from '@/lib/auth/principal';
import { rollBackConnector } from '@/lib/connectors/connector-revisions';
import { ZRevision } from '@/lib/connectors/save-connector';
import { ZSaveQuery } from '@/lib/connectors/save-steps';
import { parseOrThrow } from '@/lib/errors';
import { readJsonBody, route } from '../../../../../_lib/route-handler';
import { webContext } from '../../../../../_lib/web-context';

export const dynamic = 'force-dynamic';

const ZRollbackBody = z.object({ expectedRevision: ZRevision.optional() }).strict();

/** Saves the revision's definition as a new revision, the way PUT /api/connectors/:id saves one; answers every step. */
export const POST = route<{ id: string; revision: string }>('administer', async (request, { params, principal }) => {
  const { id, revision } = await params;
  const { ifTargetNotReady } = parseOrThrow(ZSaveQuery, Object.fromEntries(new URL(request.url).searchParams));
  const body = parseOrThrow(ZRollbackBody, await readJsonBody(request));
  const { db, env, outbound } = webContext();
  const toRevision = parseOrThrow(z.coerce.number().pipe(ZRevision), revision);
  const result = await rollBackConnector(db, id, toRevision, auditActorOf(principal), body.expectedRevision, { secretKey: env.KASTOR_SECRET_KEY, outbound, ifTargetNotReady });
  return Response.json(result, { status: 201 });
});
