import type { Metadata } from 'next';
import { EditConnectorPage } from '@/components/wizard/edit-connector-page';

export const metadata: Metadata = { title: 'Edit connector' };

export default async function EditConnectorRoute({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <EditConnectorPage key={id} id={id} />;
}
