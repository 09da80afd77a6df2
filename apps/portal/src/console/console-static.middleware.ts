import { Injectable, NestMiddleware } from '@nestjs/common';
import express from 'express';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { join } from 'node:path';
import { consoleBuildDir, isConsolePage } from './console-assets';

/**
 * Serves the built console at `/`: its hashed assets for a year (their names change with their content), and
 * index.html, never cached, for every page of the console so that a reload or a shared link opens the page.
 * Without a build (development with `vite`, e2e tests of the API) it steps aside.
 */
@Injectable()
export class ConsoleStaticMiddleware implements NestMiddleware {
  private readonly dir = consoleBuildDir();
  private readonly assets: RequestHandler | undefined = this.dir
    ? express.static(this.dir, { index: false, immutable: true, maxAge: '365d', fallthrough: true })
    : undefined;

  use(request: Request, response: Response, next: NextFunction): void {
    const dir = this.dir;
    const assets = this.assets;
    if (!dir || !assets) return next();
    if (request.path.startsWith('/assets/')) return void assets(request, response, next);
    if (!isConsolePage(request.method, request.path, request.header('accept'))) return next();
    response.setHeader('Cache-Control', 'no-cache');
    response.sendFile(join(dir, 'index.html'));
  }
}
