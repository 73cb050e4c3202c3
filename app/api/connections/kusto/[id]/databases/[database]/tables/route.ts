import { z } from 'zod';
import { openKustoConnection } from '@/lib/connections/open-connections';
import { parseOrThrow } from '@/lib/errors';
import { ZKustoIdentifier } from '@/lib/kql/identifiers';
import { listTables } from '@/lib/kusto/list-cluster-catalog';
import { route } from '../../../../../../_lib/route-handler';
import { webContext } from '../../../../../../_lib/web-context';

export const dynamic = 'force-dynamic';

const ZTablesRequest = z.object({ database: ZKustoIdentifier });

/** The tables of one database, for the wizard's table picker. */
export const GET = route<{ id: string; database: string }>('administer', async (_request, { params }) => {
  const { id, database: databaseParam } = await params;
  const { database } = parseOrThrow(ZTablesRequest, { database: databaseParam });
  const { db, env, outbound } = webContext();
  const kusto = await openKustoConnection(db, id, env.KASTOR_SECRET_KEY, outbound);
  try {
    return Response.json({ tables: await listTables(kusto.query, database) });
  } finally {
    kusto.close();
  }
});
