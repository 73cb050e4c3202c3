import { openKafkaConnection } from '@/lib/connections/open-connections';
import { ZTopicName } from '@/lib/connectors/connector-definition';
import { parseOrThrow } from '@/lib/errors';
import { describeTopic } from '@/lib/kafka/describe-topics';
import { route } from '../../../../../_lib/route-handler';
import { webContext } from '../../../../../_lib/web-context';

export const dynamic = 'force-dynamic';

/** A topic's partitions (leader, replicas, ISR, offsets) and configs. */
export const GET = route<{ id: string; topic: string }>('read', async (_request, { params }) => {
  const { id, topic } = await params;
  const { db, env, outbound } = webContext();
  const kafka = await openKafkaConnection(db, id, env.KASTOR_SECRET_KEY, outbound);
  return Response.json({ topic: await describeTopic(kafka, parseOrThrow(ZTopicName, topic)) });
});
