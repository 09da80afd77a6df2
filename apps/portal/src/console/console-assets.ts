import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LINK_PAGE_PATHS } from '../link-pages/link-page-paths';

/**
 * Where `vite build` puts the console (dist/console). Compiled, this file is dist/apps/portal/src/console/*.js;
 * under ts-node (e2e tests) it is apps/portal/src/console/*.ts and the build is under dist/ of the checkout.
 */
export function consoleBuildDir(): string | undefined {
  const candidates = [resolve(__dirname, '../../../../console'), resolve(__dirname, '../../../../dist/console')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html')));
}

/** Paths the portal's own routes answer: the console's pages never take them over. */
const SERVER_PREFIXES = ['/api/', '/ingest/', '/taxii2', '/docs', '/health', '/metrics'];
const SERVER_PAGES: readonly string[] = Object.values(LINK_PAGE_PATHS);

/** A browser navigation the console's index.html answers (its router then shows the page). */
export function isConsolePage(method: string, path: string, accept: string | undefined): boolean {
  if (method !== 'GET' && method !== 'HEAD') return false;
  if (!(accept ?? '').includes('text/html')) return false;
  if (SERVER_PAGES.includes(path)) return false;
  return !SERVER_PREFIXES.some((prefix) => path === prefix.replace(/\/$/, '') || path.startsWith(prefix));
}
