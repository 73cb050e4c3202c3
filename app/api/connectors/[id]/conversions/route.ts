import { listConversionIssues } from '@/lib/connectors/read-conversions';
import { route } from '../../../_lib/route-handler';
import { webContext } from '../../../_lib/web-context';

export const dynamic = 'force-dynamic';

/** The last hour's values that became null because they did not fit their column, and records with invalid UTF-8. */
export const GET = route<{ id: string }>('read', async (_request, { params }) => {
  const { id } = await params;
  return Response.json({ issues: await listConversionIssues(webContext().db, id) });
});
