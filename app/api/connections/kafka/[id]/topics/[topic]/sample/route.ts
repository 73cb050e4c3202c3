import { z } from 'zod';
import { openKafkaConnection } from '@/lib/connections/open-connections';
import { ZTopicName } from '@/lib/connectors/connector-definition';
import { parseOrThrow } from '@/lib/errors';
import { sampleTopic, ZSampleLimit } from '@/lib/kafka/sample-topic';
import { detectFormat } from '@/lib/mapping/detect-format';
import { route } from '../../../../../../_lib/route-handler';
import { webContext } from '../../../../../../_lib/web-context';

export const dynamic = 'force-dynamic';

const ZSampleRequest = z.object({ topic: ZTopicName, limit: ZSampleLimit });

export const GET = route<{ id: string; topic: string }>('operate', async (request, { params }) => {
  const { id, topic: topicParam } = await params;
  const limit = new URL(request.url).searchParams.get('limit') ?? undefined;
  const { topic, limit: count } = parseOrThrow(ZSampleRequest, { topic: topicParam, limit });
  const { db, env, outbound } = webContext();
  const kafka = await openKafkaConnection(db, id, env.KASTOR_SECRET_KEY, outbound);
  const messages = await sampleTopic(kafka, topic, count);
  return Response.json({ messages, format: detectFormat(messages.map((message) => message.value)) });
});
