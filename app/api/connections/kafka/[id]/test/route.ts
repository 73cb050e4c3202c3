import { testSavedKafkaConnection } from '@/lib/connections/test-kafka-connection';
import { route } from '../../../../_lib/route-handler';
import { webContext } from '../../../../_lib/web-context';

export const dynamic = 'force-dynamic';

export const POST = route<{ id: string }>('administer', async (_request, { params }) => {
  const { id } = await params;
  const { db, env, outbound } = webContext();
  return Response.json({ test: await testSavedKafkaConnection(db, id, env.KASTOR_SECRET_KEY, outbound) });
});
