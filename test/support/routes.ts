import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { AUTH_REQUIREMENT } from '@vigia/auth';

/** One route as Nest routes it: `GET /api/v1/reports/:id`, with its handler and the metadata it declares. */
export interface DiscoveredRoute {
  method: string;
  path: string;
  handler: string;
  /** What the route declares with `@Authenticated` or `@Public` (on the handler or its controller), if anything. */
  requirement: unknown;
}

/** Every route of an app, listed from its controllers' metadata. */
export function discoverRoutes(app: NestExpressApplication): DiscoveredRoute[] {
  const scanner = app.get(MetadataScanner);
  return app
    .get(DiscoveryService)
    .getControllers()
    .flatMap((wrapper) => {
      const controller = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      if (!controller) return [];
      const prototype = controller.prototype as Record<string, (...args: unknown[]) => unknown>;
      const base = Reflect.getMetadata(PATH_METADATA, controller) as string;
      return scanner.getAllMethodNames(prototype).flatMap((name) => {
        const handler = prototype[name]!;
        const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
        if (path === undefined) return [];
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod;
        return [
          {
            method: RequestMethod[method],
            path: `/${base}/${path}`.replace(/\/+/g, '/').replace(/(.)\/$/, '$1'),
            handler: `${controller.name}.${name}`,
            requirement:
              Reflect.getMetadata(AUTH_REQUIREMENT, handler) ?? Reflect.getMetadata(AUTH_REQUIREMENT, controller),
          },
        ];
      });
    });
}
