import { z } from 'zod';
import { openKustoConnection } from '@/lib/connections/open-connections';
import { ZConnectorDefinition } from '@/lib/connectors/connector-definition';
import { parseOrThrow } from '@/lib/errors';
import { verifyTarget } from '@/lib/kql/verify-target';
import { readJsonBody, route } from '../../_lib/route-handler';
import { webContext } from '../../_lib/web-context';

export const dynamic = 'force-dynamic';

const ZVerifyBody = z.object({ definition: z.unknown() });

/** For ingestor-only connections: reads the target, changes nothing, and lists the KQL an admin must run. */
export const POST = route('administer', async (request) => {
  const definition = parseOrThrow(ZConnectorDefinition, parseOrThrow(ZVerifyBody, await readJsonBody(request)).definition);
  const { db, env, outbound } = webContext();
  const kusto = await openKustoConnection(db, definition.kustoConnectionId, env.KASTOR_SECRET_KEY, outbound);
  try {
    return Response.json(await verifyTarget(kusto.query, definition));
  } finally {
    kusto.close();
  }
});
