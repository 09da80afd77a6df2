import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Warninglist, WarninglistError, parseWarninglist } from './warninglist';

const DATA_BELOW_ROOT = join('libs', 'warninglists', 'data');

/**
 * The directory of the lists shipped with Vigia, found from this file: `../data` beside the sources
 * (libs/warninglists/src) and beside a build (dist/libs/warninglists/src, where `npm run build` copies it), else
 * the repository's libs/warninglists/data above a build that did not copy it (`nest start --watch`).
 */
export function builtInWarninglistDirectory(): string {
  const beside = resolve(__dirname, '..', 'data');
  if (isDirectory(beside)) return beside;
  for (let directory = __dirname; dirname(directory) !== directory; directory = dirname(directory)) {
    if (isDirectory(join(directory, DATA_BELOW_ROOT))) return join(directory, DATA_BELOW_ROOT);
  }
  throw new WarninglistError(`built-in warninglists not found from ${__dirname}`);
}

const isDirectory = (path: string): boolean => existsSync(path) && statSync(path).isDirectory();

export interface WarninglistSources {
  /** Extra directories (WARNINGLIST_DIRS), read after the built-in one. */
  dirs: readonly string[];
  /** Include the lists marked `documentation` (WARNINGLIST_DOCUMENTATION_RANGES). */
  documentationRanges: boolean;
}

/** Every `*.json` list of the built-in and the configured directories, in that order; names must be unique. */
export function loadWarninglists(sources: WarninglistSources): Warninglist[] {
  const lists: Warninglist[] = [];
  const sourceByName = new Map<string, string>();
  for (const directory of [builtInWarninglistDirectory(), ...sources.dirs.map((dir) => resolve(dir))]) {
    if (!isDirectory(directory)) {
      throw new WarninglistError(`warninglist directory ${directory} does not exist`);
    }
    const files = readdirSync(directory)
      .filter((file) => file.endsWith('.json'))
      .sort();
    for (const file of files) {
      const path = join(directory, file);
      let content: unknown;
      try {
        content = JSON.parse(readFileSync(path, 'utf8'));
      } catch (error) {
        throw new WarninglistError(`${path}: not valid JSON (${error instanceof Error ? error.message : error})`);
      }
      const list = parseWarninglist(content, path);
      const earlier = sourceByName.get(list.name);
      if (earlier) throw new WarninglistError(`${path}: list name "${list.name}" is already used by ${earlier}`);
      sourceByName.set(list.name, path);
      if (list.documentation && !sources.documentationRanges) continue;
      lists.push(list);
    }
  }
  return lists;
}
