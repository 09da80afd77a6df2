import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import en from './locales/en.json';
import es from './locales/es.json';
import fr from './locales/fr.json';
import pt from './locales/pt.json';

type Tree = { [key: string]: string | Tree };

const keysOf = (tree: Tree, prefix = ''): string[] =>
  Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'string' ? [`${prefix}${key}`] : keysOf(value, `${prefix}${key}.`),
  );

const valueAt = (tree: Tree, key: string): string | Tree | undefined =>
  key
    .split('.')
    .reduce<string | Tree | undefined>((node, part) => (typeof node === 'object' ? node[part] : undefined), tree);

/** Every .tsx and .ts file of the console but tests and the generated API client. */
const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? entry.name === 'generated'
        ? []
        : sources(join(dir, entry.name))
      : /(?<!\.spec)\.tsx?$/.test(entry.name)
        ? [join(dir, entry.name)]
        : [],
  );

describe('console translations', () => {
  const english = keysOf(en).sort();

  it.each([
    ['es', es],
    ['pt', pt],
    ['fr', fr],
  ])('%s has exactly the English keys, none empty', (_language, translations: Tree) => {
    expect(keysOf(translations).sort()).toEqual(english);
    for (const key of english) expect(String(valueAt(translations, key)).trim()).not.toBe('');
  });

  it('has every key the code asks for (literal keys; a template key needs its prefix)', () => {
    const missing: string[] = [];
    for (const file of sources(join(__dirname, '..'))) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/\bt\(\s*(['`])([a-zA-Z0-9_.${}-]+)\1/g)) {
        const key = match[2];
        const literal = key.split('${')[0];
        const found = key.includes('${')
          ? typeof valueAt(en, literal.replace(/\.$/, '')) === 'object'
          : typeof valueAt(en, key) === 'string';
        if (!found) missing.push(`${file}: ${key}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('finds the keys the code uses (the scan above is not vacuous)', () => {
    const text = readFileSync(join(__dirname, '../pages/SignInPage.tsx'), 'utf8');
    expect([...text.matchAll(/\bt\(\s*'([a-zA-Z.]+)'/g)].length).toBeGreaterThan(5);
  });
});
