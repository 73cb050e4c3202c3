'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { SECONDARY_BUTTON } from '../wizard/form-fields';

/** Opens the connections page with the form for a new connection, returning here once it is saved. */
export function AddConnectionLink({ kind }: { kind: 'kafka' | 'kusto' }) {
  const pathname = usePathname();
  const query = new URLSearchParams({ add: kind, returnTo: pathname });
  return (
    <Link href={`/connections?${query}`} className={SECONDARY_BUTTON} data-testid={`add-${kind}-connection-link`}>
      {kind === 'kusto' ? 'Add Kusto connection' : 'Manage Kafka connections'}
    </Link>
  );
}
