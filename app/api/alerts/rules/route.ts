import { listAlertRules } from '@/lib/alerts/read-alert-rules';
import { createAlertRule } from '@/lib/alerts/save-alert-rule';
import { readJsonBody, route } from '../../_lib/route-handler';
import { webContext } from '../../_lib/web-context';

export const dynamic = 'force-dynamic';

export const GET = route('read', async () => Response.json({ rules: await listAlertRules(webContext().db) }));

export const POST = route('administer', async (request) => {
  const { db, env } = webContext();
  return Response.json({ rule: await createAlertRule(db, await readJsonBody(request), env.KASTOR_SECRET_KEY) }, { status: 201 });
});
