import type { Metadata } from 'next';
import { RoleRequired } from '@/components/role-required';
import { EditConnectorPage } from '@/components/wizard/edit-connector-page';
import { can } from '@/lib/auth/roles';
import { requireUser } from '../../../_lib/current-user';

export const metadata: Metadata = { title: 'Edit connector' };

export default async function EditConnectorRoute({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requireUser();
  if (!can(user.role, 'administer')) return <RoleRequired user={user} permission="administer" what="Editing a connector" />;
  return <EditConnectorPage key={id} id={id} />;
}
