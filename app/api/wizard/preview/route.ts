import { parseOrThrow } from '@/lib/errors';
import { previewRows, ZPreviewInput } from '@/lib/mapping/preview-rows';
import { readJsonBody, route } from '../../_lib/route-handler';

export const dynamic = 'force-dynamic';

export const POST = route('administer', async (request) => {
  const { samples, format, columns, csv, metadata } = parseOrThrow(ZPreviewInput, await readJsonBody(request));
  return Response.json({ rows: previewRows(samples, format, columns, { csv, metadata }) });
});
