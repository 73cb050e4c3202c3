import type { Metadata } from 'next';
import { Suspense } from 'react';
import { ConnectionsPage } from '@/components/connections/connections-page';

export const metadata: Metadata = { title: 'Connections' };

export default function ConnectionsRoute() {
  // The page reads its query (?add=…&returnTo=…) on the client; Next needs a boundary for that.
  return (
    <Suspense>
      <ConnectionsPage />
    </Suspense>
  );
}
