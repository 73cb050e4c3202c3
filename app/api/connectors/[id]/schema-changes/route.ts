import { auditActorOf } from '@/lib/auth/principal';
import { applySchemaChange, proposeSchemaChanges } from '@/lib/connectors/schema-changes';
import { readJsonBody, route } from '../../../_lib/route-handler';
import { webContext } from '../../../_lib/web-context';

export const dynamic = 'force-dynamic';

/** Fields the connector's topics carry that no column maps, with the columns and KQL that would add them. */
export const GET = route<{ id: string }>('read', async (_request, { params }) => {
  const { id } = await params;
  const { db, env, outbound } = webContext();
  return Response.json(await proposeSchemaChanges(db, id, env.KASTOR_SECRET_KEY, outbound));
});

/** `{expectedRevision, tables: [{table, columns}]}`: the accepted columns as a new revision. */
export const POST = route<{ id: string }>('administer', async (request, { params, principal }) => {
  const { id } = await params;
  const connector = await applySchemaChange(webContext().db, id, await readJsonBody(request), auditActorOf(principal));
  return Response.json({ connector });
});
