import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const SOURCES = ['app', 'components', 'lib', 'next.config.js', 'postcss.config.mjs', 'package-lock.json', 'tsconfig.json'];

async function newestSourceMtime(entry: string): Promise<number> {
  const full = path.join(root, entry);
  if (!existsSync(full)) return 0;
  const stat = statSync(full);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const child of await readdir(full)) newest = Math.max(newest, await newestSourceMtime(path.join(entry, child)));
  return newest;
}

/**
 * Builds the web app for `next start` unless the last build is newer than every source file, so
 * repeated starts (and every browser test of a run) share one production build.
 */
export async function buildWebIfStale(onProgress: (message: string) => void = () => undefined): Promise<void> {
  const buildId = path.join(root, '.next/BUILD_ID');
  const built = existsSync(buildId) ? statSync(buildId).mtimeMs : 0;
  const newest = Math.max(...(await Promise.all(SOURCES.map(newestSourceMtime))));
  if (built > newest) {
    onProgress('web build is up to date');
    return;
  }
  onProgress('building the web app (next build, about 30 s)');
  const next = path.join(root, 'node_modules/next/dist/bin/next');
  const output: string[] = [];
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, [next, 'build'], { cwd: root, env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.on('exit', resolve);
  });
  if (code !== 0) throw new Error(`next build failed:\n${output.join('').split('\n').slice(-40).join('\n')}`);
}
