import type { Metadata } from 'next';
import { RoleRequired } from '@/components/role-required';
import { ApiTokensPage } from '@/components/tokens/api-tokens-page';
import { can } from '@/lib/auth/roles';
import { requireUser } from '../../_lib/current-user';

export const metadata: Metadata = { title: 'API tokens' };

export default async function ApiTokensRoute() {
  const user = await requireUser();
  if (!can(user.role, 'administer')) return <RoleRequired user={user} permission="administer" what="Managing API tokens" />;
  return <ApiTokensPage />;
}
