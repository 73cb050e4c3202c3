import { sendTestAlert } from '@/lib/alerts/send-test-alert';
import { route } from '../../../../_lib/route-handler';
import { webContext } from '../../../../_lib/web-context';

export const dynamic = 'force-dynamic';

export const POST = route<{ id: string }>('administer', async (_request, { params }) => {
  const { id } = await params;
  const { db, env } = webContext();
  return Response.json({ delivery: await sendTestAlert(db, id, env.KASTOR_SECRET_KEY) });
});
