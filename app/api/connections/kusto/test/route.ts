import { testKustoConnectionDraft } from '@/lib/connections/test-kusto-connection';
import { readJsonBody, route } from '../../../_lib/route-handler';
import { webContext } from '../../../_lib/web-context';

export const dynamic = 'force-dynamic';

/** `{connection, database, connectionId?}`: the form's settings, tested without saving them. */
export const POST = route('administer', async (request) => {
  const { db, env, outbound } = webContext();
  return Response.json({ test: await testKustoConnectionDraft(db, await readJsonBody(request), env.KASTOR_SECRET_KEY, outbound) });
});
