import { getAlertRule } from '@/lib/alerts/read-alert-rules';
import { deleteAlertRule, updateAlertRule } from '@/lib/alerts/save-alert-rule';
import { readJsonBody, route } from '../../../_lib/route-handler';
import { webContext } from '../../../_lib/web-context';

export const dynamic = 'force-dynamic';

export const GET = route<{ id: string }>('read', async (_request, { params }) => {
  const { id } = await params;
  return Response.json({ rule: await getAlertRule(webContext().db, id) });
});

export const PUT = route<{ id: string }>('administer', async (request, { params }) => {
  const { id } = await params;
  const { db, env } = webContext();
  return Response.json({ rule: await updateAlertRule(db, id, await readJsonBody(request), env.KASTOR_SECRET_KEY) });
});

export const DELETE = route<{ id: string }>('administer', async (_request, { params }) => {
  const { id } = await params;
  await deleteAlertRule(webContext().db, id);
  return new Response(null, { status: 204 });
});
