import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

/**
 * The local OpenID provider's tenant, Kastor's app registration on it and the demo users, made
 * once per data folder and kept (mode 600), so sessions and printed passwords survive restarts.
 * Each demo user carries one Kastor app role in the `roles` claim, as Entra assigns them.
 */
const ZLocalIdentity = z.object({
  tenantId: z.uuid(),
  clientId: z.uuid(),
  clientSecret: z.string().min(32),
  users: z.array(z.object({ id: z.uuid(), email: z.string(), name: z.string(), password: z.string().min(12), roles: z.array(z.string()) })),
});
export type TLocalIdentity = z.infer<typeof ZLocalIdentity>;
export type TDemoUser = TLocalIdentity['users'][number];

export const DEMO_USERS = [
  { login: 'viewer', name: 'Vera Viewer', role: 'Kastor.Viewer' },
  { login: 'operator', name: 'Otto Operator', role: 'Kastor.Operator' },
  { login: 'admin', name: 'Ada Admin', role: 'Kastor.Admin' },
] as const;

export async function ensureLocalIdentity(dir: string): Promise<TLocalIdentity> {
  const file = path.join(dir, 'local-identity.json');
  try {
    return ZLocalIdentity.parse(JSON.parse(await readFile(file, 'utf8')));
  } catch {
    // Missing or from an older layout: made anew below.
  }
  const identity: TLocalIdentity = {
    tenantId: randomUUID(),
    clientId: randomUUID(),
    clientSecret: randomBytes(32).toString('base64url'),
    users: DEMO_USERS.map((user) => ({ id: randomUUID(), email: `${user.login}@kastor.local`, name: user.name, password: randomBytes(12).toString('base64url'), roles: [user.role] })),
  };
  await mkdir(dir, { recursive: true });
  await writeFile(file, JSON.stringify(identity, null, 2), { mode: 0o600 });
  return identity;
}

export function demoUser(identity: TLocalIdentity, login: (typeof DEMO_USERS)[number]['login']): TDemoUser {
  const user = identity.users.find((candidate) => candidate.email === `${login}@kastor.local`);
  if (!user) throw new Error(`No demo user ${login}`);
  return user;
}
