import { z } from 'zod';
import { auditActorOf } from '@/lib/auth/principal';
import { applyLifecycleAction } from '@/lib/connectors/lifecycle';
import { getConnector } from '@/lib/connectors/read-connectors';
import { ZRevision } from '@/lib/connectors/save-connector';
import { saveRevisionOnTarget } from '@/lib/connectors/save-connector-on-target';
import { ZSaveQuery } from '@/lib/connectors/save-steps';
import { parseOrThrow } from '@/lib/errors';
import { readJsonBody, route } from '../../_lib/route-handler';
import { webContext } from '../../_lib/web-context';

export const dynamic = 'force-dynamic';

const ZUpdateBody = z.object({ definition: z.unknown(), expectedRevision: ZRevision.optional() });

export const GET = route<{ id: string }>('read', async (_request, { params }) => {
  const { id } = await params;
  return Response.json({ connector: await getConnector(webContext().db, id) });
});

/** Saves a new revision as the create does: plans, applies (or verifies) the target KQL, saves; answers every step. */
export const PUT = route<{ id: string }>('administer', async (request, { params, principal }) => {
  const { id } = await params;
  const { ifTargetNotReady } = parseOrThrow(ZSaveQuery, Object.fromEntries(new URL(request.url).searchParams));
  const body = parseOrThrow(ZUpdateBody, await readJsonBody(request));
  const { db, env, outbound } = webContext();
  return Response.json(
    await saveRevisionOnTarget(db, id, body.definition, auditActorOf(principal), body.expectedRevision, { secretKey: env.KASTOR_SECRET_KEY, outbound, ifTargetNotReady }),
  );
});

export const DELETE = route<{ id: string }>('administer', async (request, { params, principal }) => {
  const { id } = await params;
  const desiredState = await applyLifecycleAction(webContext().db, id, 'delete', auditActorOf(principal));
  return Response.json({ desiredState }, { status: 202 });
});
