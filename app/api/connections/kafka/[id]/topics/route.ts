import { openKafkaConnection } from '@/lib/connections/open-connections';
import { listTopics } from '@/lib/kafka/list-topics';
import { route } from '../../../../_lib/route-handler';
import { webContext } from '../../../../_lib/web-context';

export const dynamic = 'force-dynamic';

export const GET = route<{ id: string }>('read', async (_request, { params }) => {
  const { id } = await params;
  const { db, env, outbound } = webContext();
  const kafka = await openKafkaConnection(db, id, env.KASTOR_SECRET_KEY, outbound);
  return Response.json({ topics: await listTopics(kafka) });
});
