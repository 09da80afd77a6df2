import { NestExpressApplication } from '@nestjs/platform-express';
import { dropDatabase } from '@vigia/database';
import request from 'supertest';
import { PortalModule } from '../../apps/portal/src/portal.module';
import { bootTestApp } from '../support/test-app';
import { TestContext, createTestContext } from '../support/test-context';

describe('health when a dependency is down', () => {
  let context: TestContext;
  let app: NestExpressApplication | undefined;

  beforeEach(async () => {
    context = await createTestContext();
  });

  afterEach(async () => {
    await app?.close();
    app = undefined;
    await context.cleanup();
  });

  it('answers 503 naming the database when PostgreSQL stops answering', async () => {
    app = await bootTestApp(PortalModule.register(context.config), context.config, { name: 'portal' });
    await request(app.getHttpServer()).get('/health').expect(200);
    // Forcing the database away is what the app sees when its PostgreSQL goes down.
    await dropDatabase(context.config.database.url);
    const response = await request(app.getHttpServer()).get('/health').expect(503);
    expect(response.body.status).toBe('error');
    expect(response.body.error.database.status).toBe('down');
    expect(response.body.info.redis.status).toBe('up');
  });

  it('answers 503 naming Redis when Redis does not answer', async () => {
    const config = { ...context.config, redis: { ...context.config.redis, url: 'redis://127.0.0.1:1' } };
    app = await bootTestApp(PortalModule.register(config), config, { name: 'portal' });
    const response = await request(app.getHttpServer()).get('/health').expect(503);
    expect(response.body.error.redis.status).toBe('down');
    expect(response.body.info.database.status).toBe('up');
  });
});
