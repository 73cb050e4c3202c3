import { ROLES, type TRole } from './roles';

/** Entra group object ids that grant each role, for tenants that assign groups rather than app roles. */
export type GroupRoles = Record<TRole, string[]>;

export type RoleDecision = { role: TRole } | { role: null; reason: string };

/** App role values as an Entra app registration defines them: `Kastor.Admin`, or plainly `admin`. */
function roleOfAppRole(value: string): TRole | null {
  const name = value.trim().toUpperCase().replace(/^KASTOR\./, '');
  return (ROLES as readonly string[]).includes(name) ? (name as TRole) : null;
}

function highest(roles: TRole[]): TRole | null {
  return roles.reduce<TRole | null>((best, role) => (best === null || ROLES.indexOf(role) > ROLES.indexOf(best) ? role : best), null);
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/**
 * A user's Kastor role from their ID token: the `roles` claim (app roles assigned to the user or
 * to one of their groups) or the `groups` claim mapped by configuration. Several grant the
 * highest. None: signed in but no role, which is refused with the reason.
 */
export function roleFromClaims(claims: Record<string, unknown>, groupRoles: GroupRoles): RoleDecision {
  const fromAppRoles = strings(claims.roles).map(roleOfAppRole).filter((role): role is TRole => role !== null);
  const groups = new Set(strings(claims.groups).map((id) => id.toLowerCase()));
  const fromGroups = ROLES.filter((role) => groupRoles[role].some((id) => groups.has(id.toLowerCase())));
  const role = highest([...fromAppRoles, ...fromGroups]);
  if (role) return { role };
  // Entra leaves `groups` out when a user is in more than 200 and points to Graph instead (the overage claim).
  const overage = typeof claims._claim_names === 'object' && claims._claim_names !== null && 'groups' in claims._claim_names;
  if (overage) return { role: null, reason: 'Your account is in too many groups for the ID token to list them; ask an administrator to assign you a Kastor app role instead.' };
  return { role: null, reason: 'Your account has no Kastor role. Ask an administrator to assign you the Viewer, Operator or Admin app role.' };
}
