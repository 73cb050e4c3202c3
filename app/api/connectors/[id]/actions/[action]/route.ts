import { applyLifecycleAction, isLifecycleAction, LIFECYCLE_ACTIONS } from '@/lib/connectors/lifecycle';
import { AppError, ErrorCode } from '@/lib/errors';
import { actorOf, route } from '../../../../_lib/route-handler';
import { webContext } from '../../../../_lib/web-context';

export const dynamic = 'force-dynamic';

export const POST = route<{ id: string; action: string }>(async (request, { params }) => {
  const { id, action } = await params;
  if (!isLifecycleAction(action)) {
    throw new AppError(ErrorCode.NOT_FOUND, `Unknown action "${action}"; one of ${LIFECYCLE_ACTIONS.join(', ')}`);
  }
  const desiredState = await applyLifecycleAction(webContext().db, id, action, actorOf(request));
  return Response.json({ desiredState }, { status: 202 });
});
