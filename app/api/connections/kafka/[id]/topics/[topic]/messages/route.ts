import { openKafkaConnection } from '@/lib/connections/open-connections';
import { parseOrThrow } from '@/lib/errors';
import { browseMessages } from '@/lib/kafka/browse-messages';
import { ZBrowseRequest } from '@/lib/kafka/topic-browser-contracts';
import { route } from '../../../../../../_lib/route-handler';
import { webContext } from '../../../../../../_lib/web-context';

export const dynamic = 'force-dynamic';

/** `?mode=newest|offset|timestamp&partition=&offset=&timestamp=&limit=`: messages read without a consumer group. */
export const GET = route<{ id: string; topic: string }>('operate', async (request, { params }) => {
  const { id, topic } = await params;
  const query = Object.fromEntries(new URL(request.url).searchParams);
  const browse = parseOrThrow(ZBrowseRequest, { ...query, topic });
  const { db, env, outbound } = webContext();
  const kafka = await openKafkaConnection(db, id, env.KASTOR_SECRET_KEY, outbound);
  return Response.json(await browseMessages(kafka, browse));
});
