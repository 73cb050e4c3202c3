import { importKafkaConnect } from '@/lib/import/import-kafka-connect';
import { readJsonBody, route } from '../../_lib/route-handler';

export const dynamic = 'force-dynamic';

export const POST = route('administer', async (request) => Response.json(importKafkaConnect(await readJsonBody(request))));
