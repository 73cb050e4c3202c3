import { testKafkaConnectionDraft } from '@/lib/connections/test-kafka-connection';
import { readJsonBody, route } from '../../../_lib/route-handler';
import { webContext } from '../../../_lib/web-context';

export const dynamic = 'force-dynamic';

/** `{connection, connectionId?}`: the form's settings, tested without saving them. */
export const POST = route('administer', async (request) => {
  const { db, env, outbound } = webContext();
  return Response.json({ test: await testKafkaConnectionDraft(db, await readJsonBody(request), env.KASTOR_SECRET_KEY, outbound) });
});
