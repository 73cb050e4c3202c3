import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const MARKER = /^\s*import\s+['"]server-only['"];?\s*$/m;
// Every static import or re-export with its specifier list (group 1) and module (group 2).
const IMPORT = /(?:^|\n)\s*(?:import|export)\s+(type\s+)?(?:([^'";]*?)\s+from\s+)?['"]([^'"]+)['"]/g;
const EXTENSIONS = ['.ts', '.tsx', '/index.ts', '/index.tsx'];

/** The modules a file loads at run time: `import type` and all-`type` specifier lists are erased by TypeScript. */
export function runtimeImports(source: string): string[] {
  const found: string[] = [];
  for (const match of source.matchAll(IMPORT)) {
    const [, typeOnly, specifiers, module] = match;
    if (typeOnly) continue;
    const names = specifiers?.match(/^\{([\s\S]*)\}$/)?.[1];
    if (names !== undefined && names.split(',').map((name) => name.trim()).filter(Boolean).every((name) => name.startsWith('type '))) continue;
    found.push(module);
  }
  return found;
}

function resolve(from: string, specifier: string, root: string): string | null {
  const base = specifier.startsWith('@/') ? path.join(root, specifier.slice(2)) : specifier.startsWith('.') ? path.resolve(path.dirname(from), specifier) : null;
  if (base === null) return null;
  if (existsSync(base) && statSync(base).isFile()) return base;
  return EXTENSIONS.map((extension) => base + extension).find((candidate) => existsSync(candidate)) ?? null;
}

export function filesUnder(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.tsx?$/.test(file))
    .map((file) => path.join(folder, file));
}

/**
 * For every root file that reaches a module marked `import 'server-only'` through run-time
 * imports, the chain of files from the root to it (paths relative to `root`).
 */
export function serverOnlyChains(roots: string[], root: string): string[][] {
  const chains: string[][] = [];
  const reaches = new Map<string, string[] | null>();
  const visit = (file: string, seen: Set<string>): string[] | null => {
    if (reaches.has(file)) return reaches.get(file)!;
    if (seen.has(file)) return null;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    let chain: string[] | null = MARKER.test(source) ? [file] : null;
    for (const specifier of chain ? [] : runtimeImports(source)) {
      const target = resolve(file, specifier, root);
      const below = target && visit(target, seen);
      if (below) {
        chain = [file, ...below];
        break;
      }
    }
    reaches.set(file, chain);
    return chain;
  };
  for (const file of roots) {
    const chain = visit(file, new Set());
    if (chain) chains.push(chain.map((entry) => path.relative(root, entry)));
  }
  return chains;
}
