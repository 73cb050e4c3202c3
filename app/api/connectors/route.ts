import { auditActorOf } from '@/lib/auth/principal';
import { listConnectors } from '@/lib/connectors/read-connectors';
import { createConnectorOnTarget } from '@/lib/connectors/save-connector-on-target';
import { ZSaveQuery } from '@/lib/connectors/save-steps';
import { parseOrThrow } from '@/lib/errors';
import { readJsonBody, route } from '../_lib/route-handler';
import { webContext } from '../_lib/web-context';

export const dynamic = 'force-dynamic';

export const GET = route('read', async () => Response.json({ connectors: await listConnectors(webContext().db) }));

/** Plans, applies (or verifies) the target KQL and saves the connector; answers every step. */
export const POST = route('administer', async (request, { principal }) => {
  const { ifTargetNotReady } = parseOrThrow(ZSaveQuery, Object.fromEntries(new URL(request.url).searchParams));
  const { db, env, outbound } = webContext();
  const result = await createConnectorOnTarget(db, await readJsonBody(request), auditActorOf(principal), { secretKey: env.KASTOR_SECRET_KEY, outbound, ifTargetNotReady });
  return Response.json(result, { status: 201 });
});
