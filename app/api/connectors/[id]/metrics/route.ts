import { z } from 'zod';
import { getConnectorMetrics } from '@/lib/connectors/read-connectors';
import { AppError, ErrorCode } from '@/lib/errors';
import { route } from '../../../_lib/route-handler';
import { webContext } from '../../../_lib/web-context';

export const dynamic = 'force-dynamic';

const RANGES_MS = { '15m': 15 * 60_000, '1h': 3_600_000, '24h': 24 * 3_600_000 } as const;
const ZRange = z.enum(['15m', '1h', '24h']).default('15m');

export const GET = route<{ id: string }>('read', async (request, { params }) => {
  const { id } = await params;
  const range = ZRange.safeParse(new URL(request.url).searchParams.get('range') ?? undefined);
  if (!range.success) throw new AppError(ErrorCode.VALIDATION, 'range must be one of 15m, 1h, 24h', [{ field: 'range', message: 'must be one of 15m, 1h, 24h' }]);
  return Response.json({ points: await getConnectorMetrics(webContext().db, id, RANGES_MS[range.data]) });
});
