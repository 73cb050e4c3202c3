import { auditActorOf } from '@/lib/auth/principal';
import { importConfig } from '@/lib/config/import-config';
import { readJsonBody, route } from '../_lib/route-handler';
import { webContext } from '../_lib/web-context';

export const dynamic = 'force-dynamic';

/** Creates or updates connectors by name from an export or a Kafka Connect config; `dryRun` returns the plan only. */
export const POST = route('administer', async (request, { principal }) => {
  const { db, env, outbound } = webContext();
  const actor = auditActorOf(principal);
  return Response.json(await importConfig(db, await readJsonBody(request), { secretKey: env.KASTOR_SECRET_KEY, actor, connectionOptions: { outbound, actor } }));
});
