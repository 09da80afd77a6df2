import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { PortalModule } from '../../apps/portal/src/portal.module';
import { seedCoordinator } from '../../apps/portal/src/cli/seed-coordinator';
import { OrganisationRepository, UserEntity, UserRepository, UserRole } from '@vigia/database';
import { verifyPassword } from '@vigia/auth';
import { bootTestApp } from '../support/test-app';
import { TestContext, createTestContext } from '../support/test-context';

describe('portal: platform endpoints', () => {
  let context: TestContext;
  let app: NestExpressApplication;

  beforeAll(async () => {
    context = await createTestContext();
    app = await bootTestApp(PortalModule.register(context.config), context.config, { name: 'portal', docs: 'test' });
  });

  afterAll(async () => {
    await app?.close();
    await context?.cleanup();
  });

  it('GET /health answers 200 with database and Redis up', async () => {
    const response = await request(app.getHttpServer()).get('/health').expect(200);
    expect(response.body.status).toBe('ok');
    expect(response.body.info).toEqual({ database: { status: 'up' }, redis: { status: 'up' } });
  });

  it('GET /metrics exposes Prometheus metrics labelled with the app', async () => {
    await request(app.getHttpServer()).get('/health');
    const response = await request(app.getHttpServer()).get('/metrics').expect(200);
    expect(response.headers['content-type']).toContain('text/plain');
    expect(response.text).toMatch(/vigia_http_request_duration_seconds_count\{.*route="\/health".*\} \d+/);
    expect(response.text).toContain('app="portal"');
  });

  it('tags each answer with a request id, keeping the caller’s', async () => {
    const response = await request(app.getHttpServer()).get('/health').set('X-Request-Id', 'trace-123');
    expect(response.headers['x-request-id']).toBe('trace-123');
    const generated = await request(app.getHttpServer()).get('/health');
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers an unknown route with a 404 error body', async () => {
    const response = await request(app.getHttpServer()).get('/nope').expect(404);
    expect(response.body).toMatchObject({ statusCode: 404, error: 'NOT_FOUND' });
  });

  it('seeds the coordinator once, with a working password', async () => {
    const accounts = {
      users: new UserRepository(context.dataSource),
      organisations: new OrganisationRepository(context.dataSource),
    };
    const first = await seedCoordinator(accounts, { email: 'Coord@Example.org' });
    expect(first.created).toBe(true);
    expect(first.password).toHaveLength(24);
    const again = await seedCoordinator(accounts, { email: 'coord@example.org' });
    expect(again).toEqual({ created: false, email: 'coord@example.org' });
    const user = await context.dataSource.getRepository(UserEntity).findOneByOrFail({ email: 'coord@example.org' });
    expect(user.role).toBe(UserRole.Coordinator);
    await expect(verifyPassword(first.password ?? '', user.passwordHash ?? '')).resolves.toBe(true);
  });
});
