import { ZConnectorDefinition } from '@/lib/connectors/connector-definition';
import { diffDraftAgainstRevision } from '@/lib/connectors/connector-revisions';
import { ZPlanRequest, type ConnectorPlanView } from '@/lib/connectors/save-steps';
import { parseOrThrow } from '@/lib/errors';
import { targetCommandsFor } from '@/lib/kql/target-commands';
import { readJsonBody, route } from '../../_lib/route-handler';
import { webContext } from '../../_lib/web-context';

export const dynamic = 'force-dynamic';

/** The preview the Review step shows before Create: the KQL, and for an edit what changes against the revision opened. */
export const POST = route('administer', async (request) => {
  const body = parseOrThrow(ZPlanRequest, await readJsonBody(request));
  // Parsed on its own so issues name fields as the connector API does (`target.table`).
  const definition = parseOrThrow(ZConnectorDefinition, body.definition);
  const changes = body.editing ? await diffDraftAgainstRevision(webContext().db, body.editing.connectorId, body.editing.revision, definition) : null;
  const plan: ConnectorPlanView = { definition, commands: targetCommandsFor(definition), changes };
  return Response.json(plan);
});
