import { z } from 'zod';
import { ZConnectorDefinition } from '@/lib/connectors/connector-definition';
import { parseOrThrow } from '@/lib/errors';
import { targetCommandsFor } from '@/lib/kql/target-commands';
import { readJsonBody, route } from '../../_lib/route-handler';

export const dynamic = 'force-dynamic';

const ZPlanBody = z.object({ definition: z.unknown() });

export const POST = route('administer', async (request) => {
  // Parsed on its own so issues name fields as the connector API does (`target.table`).
  const definition = parseOrThrow(ZConnectorDefinition, parseOrThrow(ZPlanBody, await readJsonBody(request)).definition);
  return Response.json({ definition, commands: targetCommandsFor(definition) });
});
