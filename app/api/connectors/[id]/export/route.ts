import { z } from 'zod';
import { exportConfig } from '@/lib/config/export-config';
import { parseOrThrow } from '@/lib/errors';
import { exportConnectorToKafkaConnect } from '@/lib/import/export-kafka-connect';
import { route } from '../../../_lib/route-handler';
import { webContext } from '../../../_lib/web-context';

export const dynamic = 'force-dynamic';

const ZExportFormat = z.object({ format: z.enum(['kastor', 'kafka-connect'], { message: 'must be "kastor" or "kafka-connect"' }).default('kastor') });

/** One connector and its connections as a Kastor document, or as a Kafka Connect Kusto sink config. */
export const GET = route<{ id: string }>('read', async (request, { params }) => {
  const { id } = await params;
  const { format } = parseOrThrow(ZExportFormat, { format: new URL(request.url).searchParams.get('format') ?? undefined });
  const { db } = webContext();
  return Response.json(format === 'kafka-connect' ? await exportConnectorToKafkaConnect(db, id) : await exportConfig(db, [id]));
});
