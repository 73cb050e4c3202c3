import { openKafkaConnection } from '@/lib/connections/open-connections';
import { parseOrThrow } from '@/lib/errors';
import { searchMessages } from '@/lib/kafka/search-messages';
import { ZSearchRequest } from '@/lib/kafka/topic-browser-contracts';
import { route } from '../../../../../../_lib/route-handler';
import { webContext } from '../../../../../../_lib/web-context';

export const dynamic = 'force-dynamic';

/**
 * `?q=&in=key|value|both&partition=&maxScan=`: a substring search over the newest records,
 * streamed as NDJSON (progress with the matches so far, then a summary) so the page shows
 * progress; it stops when the browser disconnects.
 */
export const GET = route<{ id: string; topic: string }>('operate', async (request, { params }) => {
  const { id, topic } = await params;
  const search = parseOrThrow(ZSearchRequest, { ...Object.fromEntries(new URL(request.url).searchParams), topic });
  const { db, env, outbound } = webContext();
  const kafka = await openKafkaConnection(db, id, env.KASTOR_SECRET_KEY, outbound);
  const encoder = new TextEncoder();
  const events = searchMessages(kafka, search, request.signal);
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await events.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(`${JSON.stringify(next.value)}\n`));
    },
    async cancel() {
      await events.return(undefined);
    },
  });
  return new Response(body, { headers: { 'content-type': 'application/x-ndjson', 'cache-control': 'no-store' } });
});
