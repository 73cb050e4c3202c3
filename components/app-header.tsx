import Link from 'next/link';
import { can, type SessionUserView } from '@/lib/auth/roles';
import { NavLink } from './nav-link';
import { UserMenu } from './user-menu';

/** Signed out (the sign-in page) it shows the name only; the links follow the user's role. */
export function AppHeader({ user }: { user: SessionUserView | null }) {
  const admin = user !== null && can(user.role, 'administer');
  return (
    <header className="border-b border-slate-800 bg-slate-900">
      <div className="mx-auto flex h-14 max-w-7xl items-center gap-4 px-4 sm:px-6">
        <Link href="/" className="flex shrink-0 items-center gap-2 text-white">
          <span aria-hidden className="grid size-7 place-items-center rounded-md bg-sky-500 text-sm font-bold">
            K
          </span>
          <span className="text-base font-semibold tracking-tight">Kastor</span>
        </Link>
        {user && (
          <nav aria-label="Main" className="flex min-w-0 items-center gap-1 overflow-x-auto">
            <NavLink href="/" sections={['/connectors']}>
              Connectors
            </NavLink>
            <NavLink href="/connections">Connections</NavLink>
            <NavLink href="/topics">Topics</NavLink>
            <NavLink href="/alerts">Alerts</NavLink>
            <NavLink href="/workers">Workers</NavLink>
            <NavLink href="/audit">Audit</NavLink>
            {admin && <NavLink href="/settings/tokens">API tokens</NavLink>}
          </nav>
        )}
        <p className="ml-auto hidden text-xs whitespace-nowrap text-slate-400 2xl:block">Kafka → Azure Data Explorer</p>
        {admin && (
          <Link href="/connectors/new" className="ml-auto rounded-md bg-sky-500 px-3 py-1.5 text-sm font-medium whitespace-nowrap text-white hover:bg-sky-400 2xl:ml-0">
            New connector
          </Link>
        )}
        <div className={admin ? 'shrink-0' : 'ml-auto shrink-0 2xl:ml-0'}>
          <UserMenu />
        </div>
      </div>
    </header>
  );
}
