import { publicRoute } from '../_lib/route-handler';

export const dynamic = 'force-dynamic';

/** Liveness for process supervisors and `npm start`'s readiness wait; says nothing else. */
export const GET = publicRoute(async () => Response.json({ ok: true }));
