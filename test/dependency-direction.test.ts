import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (name === 'node_modules' || name === 'dist') return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(m?ts|m?js)$/.test(name) ? [path] : [];
  });
}

function packageDirs(parent: string): string[] {
  const dir = join(root, parent);
  return readdirSync(dir).map((name) => join(dir, name)).filter((path) => statSync(path).isDirectory());
}

const IMPORT = /(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"]([^'"]+)['"]/g;

function imports(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(IMPORT)].map((m) => m[1] as string);
}

// DESIGN.md §2: plugins -> sdk; core -> sdk; host -> core + plugins. Never plugin -> core.
describe('dependency direction', () => {
  const forbiddenForPlugins = /^(tsyringe|reflect-metadata|@llm-bawt\/core|llm-bawt)(\/|$)/;

  for (const dir of [...packageDirs('plugins'), ...packageDirs('examples')]) {
    const name = relative(root, dir);
    it(`${name} imports neither core, the host nor tsyringe`, () => {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
      const declared = Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies, ...pkg.devDependencies });
      expect(declared.filter((dep) => forbiddenForPlugins.test(dep))).toEqual([]);
      const offenders = sourceFiles(dir)
        .filter((file) => !file.endsWith('.test.ts'))
        .flatMap((file) => imports(file).filter((spec) => forbiddenForPlugins.test(spec) || /^(\.\.\/)+(core|host|sdk\/src|plugins)\//.test(spec)).map((spec) => `${relative(root, file)}: ${spec}`));
      expect(offenders).toEqual([]);
    });
    it(`${name} declares @llm-bawt/sdk as a peer dependency`, () => {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { peerDependencies?: Record<string, string> };
      expect(pkg.peerDependencies?.['@llm-bawt/sdk']).toBeDefined();
    });
  }

  it('the sdk imports nothing from core or the host statically', () => {
    const offenders = sourceFiles(join(root, 'sdk', 'src')).flatMap((file) =>
      imports(file).filter((spec) => /^(@llm-bawt\/core|llm-bawt|tsyringe)(\/|$)/.test(spec)).map((spec) => `${relative(root, file)}: ${spec}`),
    );
    expect(offenders).toEqual([]);
  });

  it('core never imports a plugin or the host', () => {
    const offenders = sourceFiles(join(root, 'core', 'src')).flatMap((file) =>
      imports(file).filter((spec) => /^(@llm-bawt\/plugin-|llm-bawt$)/.test(spec)).map((spec) => `${relative(root, file)}: ${spec}`),
    );
    expect(offenders).toEqual([]);
  });
});
