// Runs with plain Node before dependencies exist: puts a Node Kastor runs on first on PATH
// (fetching it when the machine's is too old), installs the dependencies when missing or stale,
// generates the Prisma client, then hands over to a TypeScript entry point: `dev`, `test`, or a
// script's path (the benchmarks).
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { useSupportedNode } from './ensure-node.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const target = process.argv[2];
const entry = target === 'dev' || target === 'test' ? path.join(root, `scripts/${target}.ts`) : target?.endsWith('.ts') ? path.resolve(root, target) : null;
if (!entry) {
  console.error('usage: node scripts/bootstrap.mjs dev|test|<script.ts> [arguments]');
  process.exit(2);
}
try {
  useSupportedNode();
} catch (error) {
  console.error(error.message);
  process.exit(1);
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
const child = spawnSync(tsx, ['--conditions=react-server', entry, ...process.argv.slice(3)], { cwd: root, stdio: 'inherit' });
process.exit(child.status ?? 1);
