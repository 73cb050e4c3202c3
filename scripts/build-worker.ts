import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';

const root = path.resolve(import.meta.dirname, '..');

/** The worker's entry: the product's own code bundled (in it and its chunks); packages stay in node_modules. */
export const WORKER_BUNDLE = path.join(root, 'dist/worker/main.mjs');

/**
 * The worker process's environment beyond its configuration. glibc's allocator raises its mmap
 * threshold each time a large block is freed (up to 32 MB); after the first batch body of a few MB
 * is freed, bodies, fetch responses and gzip output all come from its heap, which fragments and is
 * not given back. Fixed at 128 KB, blocks that large are mapped and unmapped whole. Measured with
 * 10 connectors at full load (npm run bench): peak RSS 361–373 MB against 398–424 without, idle
 * 169–185 against 197–240. The Dockerfile sets the same for its image.
 */
export const WORKER_PROCESS_ENV = { MALLOC_MMAP_THRESHOLD_: '131072' };

/**
 * Bundles worker/main.ts for plain `node --conditions=react-server`, as the worker runs everywhere
 * (start, tests, bench, the container). Running the TypeScript through tsx instead cost every
 * worker ~30 MB of resident memory (its transforms and their source maps: 232 against 200 MB
 * idle) and ~0.3 s of start (935 against 607 ms to "started"). Packages are left external:
 * kafkajs must be the one in node_modules, whose modules the worker's fast paths replace
 * (worker/install-kafkajs.ts), and 'server-only' resolves under the react-server condition at run
 * time. Each file is written under a temporary name and renamed, so a worker starting meanwhile
 * never reads half a bundle. Takes well under a second.
 */
export async function buildWorker(): Promise<string> {
  const outdir = path.dirname(WORKER_BUNDLE);
  const { outputFiles } = await build({
    entryPoints: [path.join(root, 'worker/main.ts')],
    outdir,
    outExtension: { '.js': '.mjs' },
    // worker/main.ts imports the worker proper only once kafkajs's fast paths are installed: that
    // dynamic import stays a module of its own (a chunk), whose packages load when it does.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    write: false,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    packages: 'external',
    conditions: ['react-server'],
    // Names stay readable in stack traces and profiles; the maps are there for --enable-source-maps.
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  await mkdir(path.join(outdir, 'chunks'), { recursive: true });
  // Chunks and maps first, the entry last: each replaces its file in one step.
  for (const file of outputFiles.sort((a, b) => Number(a.path === WORKER_BUNDLE) - Number(b.path === WORKER_BUNDLE))) {
    const temporary = `${file.path}.${process.pid}.tmp`;
    await writeFile(temporary, file.contents);
    await rename(temporary, file.path);
  }
  // Chunks of earlier builds (their names carry a hash of their content).
  const current = new Set(outputFiles.map((file) => path.basename(file.path)));
  for (const name of await readdir(path.join(outdir, 'chunks'))) if (!current.has(name) && !name.endsWith('.tmp')) await rm(path.join(outdir, 'chunks', name), { force: true });
  return WORKER_BUNDLE;
}

if (import.meta.filename === process.argv[1]) {
  const bundle = await buildWorker();
  console.log(`worker bundled: ${path.relative(root, bundle)}`);
}
