import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, Plugin } from 'vite';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));
const portal = process.env.PORTAL_URL ?? 'http://127.0.0.1:3000';

/** The most the first page may load, gzipped (the budget): a build over it fails. */
const FIRST_ROUTE_BUDGET_KB = 300;

/**
 * Prints the gzipped size of what the first page loads (the entry chunk and its static imports; each page's own chunk
 * is loaded after it) and fails the build when it is over the budget.
 */
const firstRouteSize = (): Plugin => ({
  name: 'vigia-first-route-size',
  apply: 'build',
  generateBundle(_options, bundle) {
    const entry = Object.values(bundle).find((chunk) => chunk.type === 'chunk' && chunk.isEntry);
    if (!entry || entry.type !== 'chunk') return;
    const seen = new Set<string>();
    const visit = (name: string): void => {
      const chunk = bundle[name];
      if (seen.has(name) || !chunk || chunk.type !== 'chunk') return;
      seen.add(name);
      chunk.imports.forEach(visit);
    };
    visit(entry.fileName);
    const bytes = [...seen].reduce((sum, name) => {
      const chunk = bundle[name];
      return sum + (chunk.type === 'chunk' ? gzipSync(chunk.code).length : 0);
    }, 0);
    const summary = `first route JavaScript: ${(bytes / 1024).toFixed(1)} KB gzipped (${seen.size} chunks; budget ${FIRST_ROUTE_BUDGET_KB} KB)`;
    if (bytes > FIRST_ROUTE_BUDGET_KB * 1024) this.error(`${summary}: over the budget`);
    this.info(summary);
  },
});

// Root: apps/console; output: dist/console of the checkout, which the portal serves at `/`.
export default defineConfig({
  root: here('.'),
  plugins: [react(), firstRouteSize()],
  resolve: {
    alias: {
      // The analysts' paste box reads values with ingest's own code (libs/indicators).
      '@vigia/indicators': here('../../libs/indicators/src'),
      'node:url': here('src/shims/node-url.ts'),
    },
  },
  build: { outDir: here('../../dist/console'), emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 1000 },
  server: {
    port: 5173,
    // Dev mode: the APIs on their own ports, reached through Vite's server as the portal reaches them in production.
    proxy: { '/api': portal, '/ingest': portal },
  },
});
