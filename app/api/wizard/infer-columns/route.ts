import { parseOrThrow } from '@/lib/errors';
import { inferColumns, ZInferColumnsInput } from '@/lib/mapping/infer-columns';
import { readJsonBody, route } from '../../_lib/route-handler';

export const dynamic = 'force-dynamic';

export const POST = route('administer', async (request) => {
  const { samples, format, nestedDepth, csv, avroSchema } = parseOrThrow(ZInferColumnsInput, await readJsonBody(request));
  return Response.json({ columns: inferColumns(samples, format, nestedDepth, { csv, avroSchema }) });
});
