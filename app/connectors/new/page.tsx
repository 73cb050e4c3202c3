import type { Metadata } from 'next';
import { NewConnectorPage } from '@/components/wizard/new-connector-page';

export const metadata: Metadata = { title: 'New connector' };

export default function NewConnectorRoute() {
  return <NewConnectorPage />;
}
