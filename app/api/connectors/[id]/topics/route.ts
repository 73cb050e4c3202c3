import { getConnector } from '@/lib/connectors/read-connectors';
import { summarizeTopics } from '@/lib/connectors/topic-summaries';
import { route } from '../../../_lib/route-handler';
import { webContext } from '../../../_lib/web-context';

export const dynamic = 'force-dynamic';

/** Per topic: the table it lands in, its lag and rows over its partitions, and its recorded errors. */
export const GET = route<{ id: string }>('read', async (_request, { params }) => {
  const { id } = await params;
  const { db } = webContext();
  const connector = await getConnector(db, id);
  const errors = await db.connectorError.groupBy({ by: ['topic'], where: { connectorId: id }, _count: { _all: true } });
  const errorsByTopic = Object.fromEntries(errors.flatMap((group) => (group.topic === null ? [] : [[group.topic, group._count._all]])));
  return Response.json({ topics: summarizeTopics(connector.definition, connector.partitions, errorsByTopic) });
});
