import { ErrorCode } from '@/lib/errors';
import { runSampleQuery } from '@/lib/query/run-sample-query';
import { readJsonBody, route } from '../../../_lib/route-handler';
import { webContext } from '../../../_lib/web-context';

export const dynamic = 'force-dynamic';

export const POST = route<{ id: string }>(async (request, { params }) => {
  const { id } = await params;
  const { db, env } = webContext();
  const outcome = await runSampleQuery(db, id, await readJsonBody(request), env.KASTOR_SECRET_KEY);
  if (!outcome.ok) {
    // The target refused the user's query: their mistake to fix (400), not a gateway failure (502).
    return Response.json({ error: { code: ErrorCode.TARGET_ERROR, message: outcome.targetError } }, { status: 400 });
  }
  return Response.json(outcome.result);
});
