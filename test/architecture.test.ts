// The layering rules hold by test, not by memory: the solver is pure (no I/O, no server code), the
// web app takes only types from the server, and domain/ (the value lists both share) imports nothing.
import { builtinModules } from 'node:module';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const BUILTINS = new Set(builtinModules);
// Packages that do I/O or belong to the server's side of the house.
const SERVER_PACKAGES = /^(pg|pg-.*|@electric-sql\/pglite.*|socket\.io.*|@socket\.io\/.*|express.*|helmet)$/;

interface Import {
  file: string;
  specifier: string;
  typeOnly: boolean;
}

function* sources(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sources(path);
    else if (/\.tsx?$/.test(name)) yield path;
  }
}

/** Every static import, re-export and dynamic import in a file, with whether it carries types only. */
function importsOf(file: string, text: string): Import[] {
  const found: Import[] = [];
  const statement = /^\s*(import|export)\s+(type\s+)?([^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm;
  for (const match of text.matchAll(statement)) {
    const clause = match[3] ?? '';
    // `import { type A, type B } from` carries types only as well.
    const braces = /^\{([^}]*)\}\s+from\s+$/.exec(clause.trim() + ' ');
    const allTyped = braces !== null && braces[1].split(',').every((name) => !name.trim() || /^type\s/.test(name.trim()));
    found.push({ file, specifier: match[4], typeOnly: Boolean(match[2]) || allTyped });
  }
  for (const match of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    found.push({ file, specifier: match[1], typeOnly: false });
  }
  return found;
}

function importsUnder(folder: string): Import[] {
  return [...sources(join(ROOT, folder))].flatMap((file) => importsOf(file, readFileSync(file, 'utf8')));
}

/** The repository folder an import lands in ('server', 'solver', …), or undefined for a package. */
function landsIn(entry: Import): string | undefined {
  if (!entry.specifier.startsWith('.')) return undefined;
  return relative(ROOT, resolve(dirname(entry.file), entry.specifier)).split(/[\\/]/)[0];
}

const show = (entry: Import) => `${relative(ROOT, entry.file)} → ${entry.specifier}`;

describe('the solver', () => {
  const imports = importsUnder('solver');

  it('imports no Node.js module, so it runs anywhere as data in, data out', () => {
    const io = imports.filter((entry) => entry.specifier.startsWith('node:') || BUILTINS.has(entry.specifier));
    expect(io.map(show)).toEqual([]);
  });

  it('imports nothing from the server, the web app or their packages', () => {
    const outside = imports.filter((entry) => {
      const folder = landsIn(entry);
      return (folder !== undefined && folder !== 'solver') || SERVER_PACKAGES.test(entry.specifier);
    });
    expect(outside.map(show)).toEqual([]);
  });
});

describe('the web app', () => {
  it('takes only types from the server', () => {
    const code = importsUnder('client/src').filter((entry) => landsIn(entry) === 'server' && !entry.typeOnly);
    expect(code.map(show)).toEqual([]);
  });
});

describe('the shared value lists', () => {
  it('import nothing (no module, no package), so the web app may load them as code', () => {
    expect(importsUnder('domain').map(show)).toEqual([]);
  });
});

describe('the import reader behind these rules', () => {
  it('tells type-only imports from code imports, and finds dynamic ones', () => {
    const text = [
      "import type { A } from '../../server/a.ts';",
      "import { type B, type C } from '../../server/b.ts';",
      "import { D, type E } from '../../server/d.ts';",
      "export { F } from './f.ts';",
      "import 'node:fs';",
      "const g = await import('highs');",
    ].join('\n');
    const read = importsOf('/x/client/src/page.tsx', text).map(({ specifier, typeOnly }) => [specifier, typeOnly]);
    expect(read).toEqual([
      ['../../server/a.ts', true],
      ['../../server/b.ts', true],
      ['../../server/d.ts', false],
      ['./f.ts', false],
      ['node:fs', false],
      ['highs', false],
    ]);
  });
});
