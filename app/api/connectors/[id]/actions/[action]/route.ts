import { auditActorOf } from '@/lib/auth/principal';
import { applyLifecycleAction } from '@/lib/connectors/lifecycle';
import { isLifecycleAction, LIFECYCLE_ACTIONS } from '@/lib/connectors/lifecycle-rules';
import { AppError, ErrorCode } from '@/lib/errors';
import { requirePermission, route } from '../../../../_lib/route-handler';
import { webContext } from '../../../../_lib/web-context';

export const dynamic = 'force-dynamic';

export const POST = route<{ id: string; action: string }>('operate', async (request, { params, principal }) => {
  const { id, action } = await params;
  if (!isLifecycleAction(action)) {
    throw new AppError(ErrorCode.NOT_FOUND, `Unknown action "${action}"; one of ${LIFECYCLE_ACTIONS.join(', ')}`);
  }
  // Deleting a connector is an admin's decision; the other actions are an operator's.
  if (action === 'delete') requirePermission(principal, 'administer');
  const desiredState = await applyLifecycleAction(webContext().db, id, action, auditActorOf(principal));
  return Response.json({ desiredState }, { status: 202 });
});
