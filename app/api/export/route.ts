import { exportConfig } from '@/lib/config/export-config';
import { route } from '../_lib/route-handler';
import { webContext } from '../_lib/web-context';

export const dynamic = 'force-dynamic';

/** Every connector and connection as one document for git; no secrets. */
export const GET = route('read', async () => Response.json(await exportConfig(webContext().db)));
