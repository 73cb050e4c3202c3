import type { Metadata } from 'next';
import { RoleRequired } from '@/components/role-required';
import { NewConnectorPage } from '@/components/wizard/new-connector-page';
import { can } from '@/lib/auth/roles';
import { requireUser } from '../../_lib/current-user';

export const metadata: Metadata = { title: 'New connector' };

export default async function NewConnectorRoute() {
  const user = await requireUser();
  if (!can(user.role, 'administer')) return <RoleRequired user={user} permission="administer" what="Creating a connector" />;
  return <NewConnectorPage />;
}
