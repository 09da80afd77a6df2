import { NestExpressApplication } from '@nestjs/platform-express';
import { UserRole } from '@vigia/database';
import request from 'supertest';
import { MAX_ACCOUNT_FAILURES, MAX_ADDRESS_FAILURES } from '../../apps/portal/src/auth/sign-in-throttle';
import { createOrganisation } from '../../scripts/lib/organisation.factory';
import { createUser } from '../support/people';
import { bootPortalApp } from '../support/portal-app';
import { TestContext, createTestContext } from '../support/test-context';

// Every request here comes from one address, so the tests run in order and share its failure count.
describe('portal: sign-in throttling', () => {
  let context: TestContext;
  let app: NestExpressApplication;
  let organisationId: string;
  let addressFailures = 0;

  beforeAll(async () => {
    context = await createTestContext();
    app = await bootPortalApp(context.config);
    organisationId = (await createOrganisation(context.dataSource)).id;
  });

  afterAll(async () => {
    await app?.close();
    await context?.cleanup();
  });

  const login = (email: string, password: string) =>
    request(app.getHttpServer()).post('/api/v1/auth/login').send({ email, password });
  const failTimes = async (email: string, times: number) => {
    for (let attempt = 0; attempt < times; attempt++) await login(email, 'wrong password').expect(401);
    addressFailures += times;
  };
  const newUser = () => createUser(context.dataSource, { organisationId, role: UserRole.Analyst });

  it('locks an account after repeated wrong passwords, the right one included, with Retry-After', async () => {
    const { email, password } = await newUser();
    await failTimes(email, MAX_ACCOUNT_FAILURES);
    const refused = await login(email, password).expect(423);
    expect(refused.body.message).toMatch(/Too many wrong passwords for this account/);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(60);

    const other = await newUser();
    await login(other.email, other.password).expect(200);
  });

  it('forgets an account’s failures after a successful sign-in', async () => {
    const { email, password } = await newUser();
    await failTimes(email, MAX_ACCOUNT_FAILURES - 1);
    await login(email, password).expect(200);
    await failTimes(email, MAX_ACCOUNT_FAILURES - 1);
    await login(email, password).expect(200);
  });

  it('slows an address that fails over many accounts', async () => {
    for (let index = 0; addressFailures < MAX_ADDRESS_FAILURES; index++)
      await failTimes(`nobody${index}@example.org`, 1);
    const { email, password } = await newUser();
    const refused = await login(email, password).expect(429);
    expect(refused.body.message).toMatch(/from this address/);
    expect(refused.headers['retry-after']).toBeDefined();
  });
});
