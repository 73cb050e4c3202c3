import { leastRoleFor, ROLE_LABELS, type SessionUserView, type TPermission } from '@/lib/auth/roles';

/** A page the user's role may not use: what it needs and what they have, instead of a form that would only get 403s. */
export function RoleRequired({ user, permission, what }: { user: SessionUserView; permission: TPermission; what: string }) {
  const needed = ROLE_LABELS[leastRoleFor(permission)];
  return (
    <section data-testid="role-required" className="mx-auto max-w-xl rounded-lg border border-slate-200 bg-white px-6 py-10 text-center">
      <h1 className="text-lg font-semibold text-slate-900">{what} needs the {needed.title} role</h1>
      <p className="mt-2 text-sm text-slate-600">
        You are signed in as {user.name} with the {ROLE_LABELS[user.role].title} role. An {needed.title} {needed.meaning.replace(/^also /, '')}.
      </p>
    </section>
  );
}
