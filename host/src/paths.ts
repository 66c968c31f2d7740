import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The host package's own directory (this file sits in `src/` or `dist/`). */
export function hostPackageDir(): string {
  return fileURLToPath(new URL('..', import.meta.url));
}

/** The host package's version, for `--version` and the boot tree header. */
export function hostVersion(): string {
  const pkg = JSON.parse(readFileSync(join(hostPackageDir(), 'package.json'), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}

/** Expands a leading `~` and resolves a relative path against `base`. */
export function resolvePath(path: string, base: string, homeDir: string): string {
  const expanded = path === '~' ? homeDir : path.startsWith('~/') ? join(homeDir, path.slice(2)) : path;
  return isAbsolute(expanded) ? expanded : resolve(base, expanded);
}

/** How a file is named in messages: relative to the working directory when inside it. */
export function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? path : rel.split(sep).join('/');
}

/** True for `./x`, `../x` and absolute paths; anything else is a package name. */
export function isPathSpecifier(specifier: string): boolean {
  return specifier.startsWith('.') || isAbsolute(specifier);
}

/** Whether `name` is installed in a `node_modules` at or above `fromDir`. */
export function isPackageReachable(name: string, fromDir: string): boolean {
  let dir = resolve(fromDir);
  for (;;) {
    if (existsSync(join(dir, 'node_modules', name, 'package.json'))) return true;
    const parent = dirname(dir);
    if (parent === dir) return false;
    dir = parent;
  }
}
