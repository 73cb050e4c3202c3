import { openKustoConnection } from '@/lib/connections/open-connections';
import { listDatabases } from '@/lib/kusto/list-cluster-catalog';
import { route } from '../../../../_lib/route-handler';
import { webContext } from '../../../../_lib/web-context';

export const dynamic = 'force-dynamic';

/** The databases the connection sees, for the wizard's database picker. */
export const GET = route<{ id: string }>('administer', async (_request, { params }) => {
  const { id } = await params;
  const { db, env, outbound } = webContext();
  const kusto = await openKustoConnection(db, id, env.KASTOR_SECRET_KEY, outbound);
  try {
    return Response.json({ databases: await listDatabases(kusto.query) });
  } finally {
    kusto.close();
  }
});
