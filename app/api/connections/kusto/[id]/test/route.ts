import { testSavedKustoConnection } from '@/lib/connections/test-kusto-connection';
import { readJsonBody, route } from '../../../../_lib/route-handler';
import { webContext } from '../../../../_lib/web-context';

export const dynamic = 'force-dynamic';

/** `{database}`; the outcome is kept on the connection as its last test. */
export const POST = route<{ id: string }>('administer', async (request, { params }) => {
  const { id } = await params;
  const { db, env, outbound } = webContext();
  return Response.json({ connection: await testSavedKustoConnection(db, id, await readJsonBody(request), env.KASTOR_SECRET_KEY, outbound) });
});
