import { NestExpressApplication } from '@nestjs/platform-express';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { AUTH_REQUIREMENT } from '@vigia/auth';
import { bootIngestApp } from '../support/ingest-app';
import { bootPortalApp } from '../support/portal-app';
import { TestContext, createTestContext } from '../support/test-context';
import { bootWorkerApp } from '../support/worker-app';

/** Every route of every app, as Nest routes it, with the requirement it declares (or none). */
function routesOf(app: NestExpressApplication): { route: string; requirement: unknown }[] {
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
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as number;
        return [
          {
            route: `${method} /${base}/${path} (${controller.name}.${name})`.replace(/\/+/g, '/'),
            requirement:
              Reflect.getMetadata(AUTH_REQUIREMENT, handler) ?? Reflect.getMetadata(AUTH_REQUIREMENT, controller),
          },
        ];
      });
    });
}

describe('every route declares who may call it', () => {
  let context: TestContext;
  const apps: NestExpressApplication[] = [];

  beforeAll(async () => {
    context = await createTestContext();
    apps.push(
      await bootIngestApp(context.config),
      await bootPortalApp(context.config),
      await bootWorkerApp(context.config),
    );
  });

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await context?.cleanup();
  });

  it('finds no route without @Authenticated or @Public', () => {
    const routes = apps.flatMap(routesOf);
    expect(routes.length).toBeGreaterThan(10);
    expect(routes.filter((route) => route.requirement === undefined).map((route) => route.route)).toEqual([]);
  });
});
