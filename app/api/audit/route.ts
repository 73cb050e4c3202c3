import { listAuditEvents } from '@/lib/audit/read-audit';
import { route } from '../_lib/route-handler';
import { webContext } from '../_lib/web-context';

export const dynamic = 'force-dynamic';

/** `?connectorId=&actor=&action=&before=`: who changed what and when, newest first. */
export const GET = route('read', async (request) => {
  const query = Object.fromEntries([...new URL(request.url).searchParams].filter(([, value]) => value !== ''));
  return Response.json(await listAuditEvents(webContext().db, query));
});
