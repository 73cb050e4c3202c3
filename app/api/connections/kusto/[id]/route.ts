import { auditActorOf } from '@/lib/auth/principal';
import { deleteKustoConnection } from '@/lib/connections/delete-connection';
import { getKustoConnection } from '@/lib/connections/read-connections';
import { changePrincipalRole, updateKustoConnection } from '@/lib/connections/save-connections';
import { readJsonBody, route } from '../../../_lib/route-handler';
import { webContext } from '../../../_lib/web-context';

export const dynamic = 'force-dynamic';

export const GET = route<{ id: string }>('read', async (_request, { params }) => {
  const { id } = await params;
  return Response.json({ connection: await getKustoConnection(webContext().db, id) });
});

export const PUT = route<{ id: string }>('administer', async (request, { params, principal }) => {
  const { id } = await params;
  const { db, env, outbound } = webContext();
  return Response.json({ connection: await updateKustoConnection(db, id, await readJsonBody(request), env.KASTOR_SECRET_KEY, { outbound, actor: auditActorOf(principal) }) });
});

/** `{principalRole}` only: adopting what a test found, without resending the settings. */
export const PATCH = route<{ id: string }>('administer', async (request, { params, principal }) => {
  const { id } = await params;
  return Response.json({ connection: await changePrincipalRole(webContext().db, id, await readJsonBody(request), auditActorOf(principal)) });
});

export const DELETE = route<{ id: string }>('administer', async (_request, { params, principal }) => {
  const { id } = await params;
  await deleteKustoConnection(webContext().db, id, auditActorOf(principal));
  return new Response(null, { status: 204 });
});
