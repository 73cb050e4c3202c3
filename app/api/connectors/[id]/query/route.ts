import { runSampleQuery } from '@/lib/query/run-sample-query';
import { readJsonBody, route } from '../../../_lib/route-handler';
import { webContext } from '../../../_lib/web-context';

export const dynamic = 'force-dynamic';

export const POST = route<{ id: string }>('operate', async (request, { params }) => {
  const { id } = await params;
  const { db, env } = webContext();
  return Response.json(await runSampleQuery(db, id, await readJsonBody(request), env.KASTOR_SECRET_KEY));
});
