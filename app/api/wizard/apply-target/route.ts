import { z } from 'zod';
import { openKustoConnection } from '@/lib/connections/open-connections';
import { ZConnectorDefinition } from '@/lib/connectors/connector-definition';
import { ErrorCode, parseOrThrow } from '@/lib/errors';
import { applyTargetCommands, TargetApplyError } from '@/lib/kql/apply-target-commands';
import { readJsonBody, route } from '../../_lib/route-handler';
import { webContext } from '../../_lib/web-context';

export const dynamic = 'force-dynamic';

const ZApplyBody = z.object({ definition: z.unknown() });

export const POST = route('administer', async (request) => {
  // Parsed on its own so issues name fields as the connector API does (`target.table`).
  const definition = parseOrThrow(ZConnectorDefinition, parseOrThrow(ZApplyBody, await readJsonBody(request)).definition);
  const { db, env, outbound } = webContext();
  const kusto = await openKustoConnection(db, definition.kustoConnectionId, env.KASTOR_SECRET_KEY, outbound);
  try {
    return Response.json({ results: await applyTargetCommands(kusto.query, definition) });
  } catch (error) {
    if (!(error instanceof TargetApplyError)) throw error;
    // The results say which commands ran before the failure, so the page can show each outcome.
    return Response.json({ results: error.results, error: { code: ErrorCode.TARGET_ERROR, message: error.message } }, { status: 502 });
  } finally {
    kusto.close();
  }
});
