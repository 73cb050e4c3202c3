'use client';

import { useState } from 'react';
import { ROLE_LABELS } from '@/lib/auth/roles';
import { fetchJson, MUTATION_TIMEOUT_MS } from './hooks/fetch-json';
import { useSessionUser } from './session-context';

/** Who is signed in, with which role, and the way out. */
export function UserMenu() {
  const user = useSessionUser();
  const [signingOut, setSigningOut] = useState(false);
  if (!user) return null;
  const signOut = async () => {
    setSigningOut(true);
    const { endSessionUrl } = await fetchJson<{ endSessionUrl: string | null }>('/api/auth/logout', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
      signal: AbortSignal.timeout(MUTATION_TIMEOUT_MS),
    }).catch(() => ({ endSessionUrl: null }));
    // A full navigation: every cached query of this user goes with the page.
    window.location.assign(endSessionUrl ?? '/sign-in?signedOut=1');
  };
  return (
    <div className="flex items-center gap-3 text-sm">
      <span className="hidden text-right leading-tight whitespace-nowrap lg:block">
        <span className="block font-medium text-white" data-testid="signed-in-user">
          {user.name}
        </span>
        <span className="block text-xs text-slate-400">{ROLE_LABELS[user.role].title}</span>
      </span>
      <button
        type="button"
        onClick={() => void signOut()}
        disabled={signingOut}
        className="rounded-md border border-slate-700 px-3 py-1.5 text-sm font-medium whitespace-nowrap text-slate-200 hover:bg-slate-800 disabled:opacity-60"
      >
        {signingOut ? 'Signing out…' : 'Sign out'}
      </button>
    </div>
  );
}
