import { route } from '../../_lib/route-handler';

export const dynamic = 'force-dynamic';

/** Who the caller is and their role; a token or a claim never leaves the server. */
export const GET = route('read', async (_request, { principal }) =>
  Response.json({ user: { name: principal.name, email: principal.email, role: principal.role, kind: principal.kind } }),
);
