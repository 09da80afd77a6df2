import { NestExpressApplication } from '@nestjs/platform-express';
import { bootIngestApp } from '../support/ingest-app';
import { bootPortalApp } from '../support/portal-app';
import { discoverRoutes } from '../support/routes';
import { TestContext, createTestContext } from '../support/test-context';
import { bootWorkerApp } from '../support/worker-app';

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
    const routes = apps.flatMap(discoverRoutes);
    expect(routes.length).toBeGreaterThan(10);
    expect(
      routes
        .filter((route) => route.requirement === undefined)
        .map((route) => `${route.method} ${route.path} (${route.handler})`),
    ).toEqual([]);
  });
});
