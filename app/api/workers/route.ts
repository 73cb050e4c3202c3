import { listWorkers } from '@/lib/workers/read-workers';
import { route } from '../_lib/route-handler';
import { webContext } from '../_lib/web-context';

export const dynamic = 'force-dynamic';

export const GET = route('read', async () => Response.json({ workers: await listWorkers(webContext().db) }));
