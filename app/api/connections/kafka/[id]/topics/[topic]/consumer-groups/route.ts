import { openKafkaConnection } from '@/lib/connections/open-connections';
import { ZTopicName } from '@/lib/connectors/connector-definition';
import { parseOrThrow } from '@/lib/errors';
import { topicConsumerGroups } from '@/lib/kafka/topic-consumer-groups';
import { route } from '../../../../../../_lib/route-handler';
import { webContext } from '../../../../../../_lib/web-context';

export const dynamic = 'force-dynamic';

/** Every consumer group with offsets on the topic (Kastor's and others'), with lag per partition. */
export const GET = route<{ id: string; topic: string }>('read', async (_request, { params }) => {
  const { id, topic } = await params;
  const { db, env, outbound } = webContext();
  const kafka = await openKafkaConnection(db, id, env.KASTOR_SECRET_KEY, outbound);
  return Response.json({ groups: await topicConsumerGroups(kafka, parseOrThrow(ZTopicName, topic), db) });
});
