import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { join } from 'node:path';
import { consoleBuildDir, isConsolePage } from './console-assets';

/** Vite's hashed asset names: no directory, no dots beyond the extension's. */
const ASSET_PATH = /^\/assets\/([A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*\.(?:js|css|map|woff2?|svg|png))$/;
const YEAR_S = 365 * 24 * 3600;

/**
 * Serves the built console at `/`: its hashed assets for a year (their names change with their content), and
 * index.html, never cached, for every page of the console so that a reload or a shared link opens the page.
 * Without a build (development with `vite`, e2e tests of the API) it steps aside.
 */
@Injectable()
export class ConsoleStaticMiddleware implements NestMiddleware {
  private readonly dir = consoleBuildDir();

  use(request: Request, response: Response, next: NextFunction): void {
    const dir = this.dir;
    if (!dir) return next();
    // Nest mounts middleware under its route pattern, so `request.path` may be cut: the original URL is the truth.
    const path = new URL(request.originalUrl, 'http://console').pathname;
    const asset = ASSET_PATH.exec(path);
    if (asset && (request.method === 'GET' || request.method === 'HEAD')) {
      response.setHeader('Cache-Control', `public, max-age=${YEAR_S}, immutable`);
      return response.sendFile(join(dir, 'assets', asset[1]), (error) => error && next());
    }
    if (!isConsolePage(request.method, path, request.header('accept'))) return next();
    response.setHeader('Cache-Control', 'no-cache');
    response.sendFile(join(dir, 'index.html'));
  }
}
