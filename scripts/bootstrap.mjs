// Runs with plain Node before dependencies exist: installs them when missing or stale, generates
// the Prisma client, then hands over to the TypeScript entry point (`dev` or `test`).
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const target = process.argv[2];
if (!['dev', 'test'].includes(target)) {
  console.error('usage: node scripts/bootstrap.mjs dev|test');
  process.exit(2);
}

function mtime(file) {
  return existsSync(file) ? statSync(file).mtimeMs : 0;
}

function run(command, args, env = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const installedMarker = path.join(root, 'node_modules/.package-lock.json');
if (mtime(installedMarker) < mtime(path.join(root, 'package-lock.json'))) {
  console.log('» installing dependencies (npm ci)…');
  run('npm', ['ci', '--no-audit', '--no-fund']);
}

const schema = path.join(root, 'prisma/schema.prisma');
if (mtime(path.join(root, 'lib/generated/prisma/client.ts')) < mtime(schema)) {
  console.log('» generating the Prisma client…');
  // `prisma generate` only checks that a schema-engine binary exists; it does not run it.
  run('npx', ['prisma', 'generate'], { PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? schema, PRISMA_HIDE_UPDATE_MESSAGE: '1' });
}

const tsx = path.join(root, 'node_modules/.bin/tsx');
// dev.ts seeds the demo through lib/ modules marked 'server-only', which resolve to an empty
// module only under the react-server condition (as in Next's server bundles).
const child = spawnSync(tsx, ['--conditions=react-server', path.join(root, `scripts/${target}.ts`), ...process.argv.slice(3)], { cwd: root, stdio: 'inherit' });
process.exit(child.status ?? 1);
