import type { Metadata } from 'next';
import { Suspense } from 'react';
import { AuditPage } from '@/components/audit/audit-page';

export const metadata: Metadata = { title: 'Audit log' };

export default function AuditRoute() {
  // The filters are read from the URL on the client; Next needs a boundary for that.
  return (
    <Suspense>
      <AuditPage />
    </Suspense>
  );
}
