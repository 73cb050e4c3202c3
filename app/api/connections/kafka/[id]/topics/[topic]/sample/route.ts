import { z } from 'zod';
import { openKafkaConnectionWithRegistry } from '@/lib/connections/open-connections';
import { ZTopicName } from '@/lib/connectors/connector-definition';
import { parseOrThrow } from '@/lib/errors';
import { sampleTopicForWizard, ZSampleLimit } from '@/lib/kafka/sample-topic';
import { route } from '../../../../../../_lib/route-handler';
import { webContext } from '../../../../../../_lib/web-context';

export const dynamic = 'force-dynamic';

const ZSampleRequest = z.object({ topic: ZTopicName, limit: ZSampleLimit });

export const GET = route<{ id: string; topic: string }>('operate', async (request, { params }) => {
  const { id, topic: topicParam } = await params;
  const limit = new URL(request.url).searchParams.get('limit') ?? undefined;
  const { topic, limit: count } = parseOrThrow(ZSampleRequest, { topic: topicParam, limit });
  const { db, env, outbound } = webContext();
  const { kafka, registry } = await openKafkaConnectionWithRegistry(db, id, env.KASTOR_SECRET_KEY, outbound);
  return Response.json(await sampleTopicForWizard(kafka, registry, topic, count));
});
