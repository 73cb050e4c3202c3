import { openKustoConnection } from '@/lib/connections/open-connections';
import { parseOrThrow } from '@/lib/errors';
import { checkTargetCompatibility } from '@/lib/kql/check-target-compatibility';
import { ZCheckTargetInput } from '@/lib/kql/target-compatibility';
import { readJsonBody, route } from '../../_lib/route-handler';
import { webContext } from '../../_lib/web-context';

export const dynamic = 'force-dynamic';

export const POST = route('administer', async (request) => {
  const { kustoConnectionId, ...target } = parseOrThrow(ZCheckTargetInput, await readJsonBody(request));
  const { db, env, outbound } = webContext();
  const kusto = await openKustoConnection(db, kustoConnectionId, env.KASTOR_SECRET_KEY, outbound);
  try {
    return Response.json(await checkTargetCompatibility(kusto.query, target));
  } finally {
    kusto.close();
  }
});
