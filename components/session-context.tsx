'use client';

import { createContext, useContext, type ReactNode } from 'react';
import { can, type SessionUserView, type TPermission } from '@/lib/auth/roles';

const SessionContext = createContext<SessionUserView | null>(null);

/** The signed-in user, read once by the root layout on the server; pages use it to hide what the role may not do. */
export function SessionProvider({ user, children }: { user: SessionUserView | null; children: ReactNode }) {
  return <SessionContext.Provider value={user}>{children}</SessionContext.Provider>;
}

export function useSessionUser(): SessionUserView | null {
  return useContext(SessionContext);
}

/** The same rule the API enforces (lib/auth/roles.ts); the API still refuses with 403 whatever the page shows. */
export function useCan(permission: TPermission): boolean {
  const user = useContext(SessionContext);
  return user !== null && can(user.role, permission);
}
