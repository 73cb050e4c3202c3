import type { Metadata } from 'next';
import { ConnectorPage } from '@/components/connector-page';

export const metadata: Metadata = { title: 'Connector' };

export default async function ConnectorRoute({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  // Keyed by id so a pending action or its error never carries over to another connector.
  return <ConnectorPage key={id} id={id} />;
}
