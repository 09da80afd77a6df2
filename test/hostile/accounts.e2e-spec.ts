import { NestExpressApplication } from '@nestjs/platform-express';
import { Scope } from '@vigia/auth';
import {
  ApiKeyEntity,
  ApplicationEntity,
  ApplicationEventEntity,
  AuditEventEntity,
  InvitationEntity,
  OutboxJobEntity,
  RefreshTokenEntity,
  UserEntity,
  UserRecoveryCodeEntity,
  UserSessionEntity,
  UserTotpEntity,
} from '@vigia/database';
import { UserRole } from '@vigia/database';
import request from 'supertest';
import { createOrganisation } from '../../scripts/lib/organisation.factory';
import { createPerson } from '../support/access-token';
import { bootPortalApp } from '../support/portal-app';
import { TestContext, createTestContext } from '../support/test-context';

/** Every table an account or application write could leave something in. */
const WATCHED = [
  UserEntity,
  UserSessionEntity,
  RefreshTokenEntity,
  UserTotpEntity,
  UserRecoveryCodeEntity,
  InvitationEntity,
  ApiKeyEntity,
  ApplicationEntity,
  ApplicationEventEntity,
  AuditEventEntity,
  OutboxJobEntity,
];

/** A refusal must come within this, however hostile the body (a busy two-core machine included). */
const TIME_BOUND_MS = 3000;

const deepJson = (levels: number): string => `${'{"nested":'.repeat(levels)}"bottom"${'}'.repeat(levels)}`;
const deepArrayJson = (levels: number): string => `${'['.repeat(levels)}${']'.repeat(levels)}`;

interface Endpoint {
  name: string;
  path: () => string;
  authorization?: () => string;
  /** A body that passes validation (it may still be refused later, e.g. unknown credentials). */
  valid: () => Promise<Record<string, unknown>>;
  /** The string field the corpus attacks. */
  field: string;
  /** For an optional field (null counts as absent): the status an absent one gets (e.g. 401, no token). */
  absentStatus?: number;
}

/** A hostile body as raw bytes, and where its refusal must point (`undefined`: the body as a whole). */
interface HostileCase {
  name: string;
  body: (valid: Record<string, unknown>, field: string) => Buffer;
  status: number;
  reason: RegExp;
  /** Whether the answer's details must name the attacked field. */
  namesField: boolean;
  /** The field ends up null or missing: an optional field takes that as absent. */
  leavesFieldAbsent?: boolean;
}

const json = (text: string): Buffer => Buffer.from(text, 'utf8');
/** `valid` as JSON with the attacked field's value replaced by the raw JSON text `raw`. */
const withRaw = (valid: Record<string, unknown>, field: string, raw: string): Buffer =>
  json(JSON.stringify({ ...valid, [field]: '__RAW__' }).replace('"__RAW__"', raw));
const without = (valid: Record<string, unknown>, field: string): Record<string, unknown> =>
  Object.fromEntries(Object.entries(valid).filter(([key]) => key !== field));

const CORPUS: HostileCase[] = [
  {
    name: '10,000-deep objects',
    body: (valid, field) => withRaw(valid, field, deepJson(10_000)),
    status: 400,
    reason: /nested deeper/,
    namesField: true,
  },
  {
    name: '10,000-deep arrays',
    body: (valid, field) => withRaw(valid, field, deepArrayJson(10_000)),
    status: 400,
    reason: /nested deeper/,
    namesField: true,
  },
  {
    name: 'a 900,000-character string',
    body: (valid, field) => json(JSON.stringify({ ...valid, [field]: 'x'.repeat(900_000) })),
    status: 400,
    reason: /./,
    namesField: true,
  },
  {
    name: 'a 100,000-element array',
    body: (valid, field) => json(JSON.stringify({ ...valid, [field]: Array.from({ length: 100_000 }, () => 'x') })),
    status: 400,
    reason: /./,
    namesField: true,
  },
  {
    name: 'a body over the size limit',
    body: (valid, field) => json(JSON.stringify({ ...valid, [field]: 'x'.repeat(2_000_000) })),
    status: 413,
    reason: /./,
    namesField: false,
  },
  ...(
    [
      ['a number', '42'],
      ['an object', '{"$ne": null}'],
      ['null', 'null'],
      ['a boolean', 'true'],
    ] as const
  ).map(([kind, raw]): HostileCase => ({
    name: `${kind} instead of a string`,
    body: (valid, field) => withRaw(valid, field, raw),
    status: 400,
    reason: /./,
    namesField: true,
    leavesFieldAbsent: raw === 'null',
  })),
  {
    name: 'an array as the body',
    body: () => json('[{"email": "a@b.example"}]'),
    status: 400,
    reason: /./,
    namesField: false,
  },
  {
    name: 'malformed JSON',
    body: (valid) => json(JSON.stringify(valid).slice(0, -3)),
    status: 400,
    reason: /JSON/,
    namesField: false,
  },
  {
    name: '__proto__ and constructor keys that try to supply the field',
    body: (valid, field) => {
      const smuggled = JSON.stringify({ [field]: valid[field] });
      const rest = Object.entries(without(valid, field)).map(([key, value]) => `, "${key}": ${JSON.stringify(value)}`);
      return json(`{"__proto__": ${smuggled}, "constructor": {"prototype": ${smuggled}}${rest.join('')}}`);
    },
    status: 400,
    reason: /./,
    namesField: true,
    leavesFieldAbsent: true,
  },
  {
    name: 'a duplicate key whose last value is hostile',
    body: (valid, field) => json(`${JSON.stringify(valid).slice(0, -1)}, "${field}": {"$gt": ""}}`),
    status: 400,
    reason: /./,
    namesField: true,
  },
  {
    name: 'a NUL in the field',
    body: (valid, field) => json(JSON.stringify({ ...valid, [field]: `${String(valid[field])}\u0000` })),
    status: 400,
    reason: /NUL/,
    namesField: true,
  },
  {
    name: 'a lone surrogate in the field',
    body: (valid, field) => withRaw(valid, field, '"a\\ud800b"'),
    status: 400,
    reason: /./,
    namesField: true,
  },
  {
    name: 'bytes that are not UTF-8 in the field',
    body: (valid, field) => {
      const [before, after] = JSON.stringify({ ...valid, [field]: '__RAW__' }).split('__RAW__');
      return Buffer.concat([json(before), Buffer.from([0x61, 0xff, 0xfe, 0xc3, 0x28]), json(after)]);
    },
    status: 400,
    reason: /not valid UTF-8/,
    namesField: false,
  },
];

describe('hostile input on accounts, API keys and applications', () => {
  let context: TestContext;
  let app: NestExpressApplication;
  let organisationId: string;
  let admin: string;
  let analyst: string;

  beforeAll(async () => {
    context = await createTestContext({ APPLICATION_MIN_FILL_SECONDS: '0', APPLICATION_RATE_LIMIT_PER_HOUR: '1000' });
    app = await bootPortalApp(context.config);
    organisationId = (await createOrganisation(context.dataSource, { name: 'CERT Alfa' })).id;
    admin = (await createPerson(app, organisationId, UserRole.OrgAdmin)).authorization;
    analyst = (await createPerson(app, organisationId, UserRole.Analyst)).authorization;
  });

  afterAll(async () => {
    await app?.close();
    await context?.cleanup();
  });

  const http = () => request(app.getHttpServer());

  const counts = async (): Promise<Record<string, number>> =>
    Object.fromEntries(
      await Promise.all(
        WATCHED.map(async (entity) => [entity.name, await context.dataSource.getRepository(entity).count()] as const),
      ),
    );

  const ENDPOINTS: Endpoint[] = [
    {
      name: 'POST /api/v1/auth/login',
      path: () => '/api/v1/auth/login',
      valid: async () => ({ email: 'nobody@cert-alfa.example', password: 'correct horse battery' }),
      field: 'email',
    },
    {
      name: 'POST /api/v1/auth/login (password)',
      path: () => '/api/v1/auth/login',
      valid: async () => ({ email: 'nobody@cert-alfa.example', password: 'correct horse battery' }),
      field: 'password',
    },
    {
      name: 'POST /api/v1/auth/refresh',
      path: () => '/api/v1/auth/refresh',
      valid: async () => ({ refresh_token: 'r'.repeat(43) }),
      field: 'refresh_token',
      absentStatus: 401,
    },
    {
      name: 'POST /api/v1/auth/totp/confirm',
      path: () => '/api/v1/auth/totp/confirm',
      authorization: () => analyst,
      valid: async () => ({ code: '123456' }),
      field: 'code',
    },
    {
      name: 'POST /api/v1/invitations/accept',
      path: () => '/api/v1/invitations/accept',
      valid: async () => ({ token: 't'.repeat(43), password: 'a long enough password' }),
      field: 'token',
    },
    {
      name: 'POST /api/v1/organisations/:id/api-keys',
      path: () => `/api/v1/organisations/${organisationId}/api-keys`,
      authorization: () => admin,
      valid: async () => ({ name: 'SIEM forwarder', scopes: [Scope.ReportsWrite] }),
      field: 'name',
    },
    {
      name: 'POST /api/v1/applications',
      path: () => '/api/v1/applications',
      valid: async () => ({
        form_token: (await http().get('/api/v1/applications/form').expect(200)).body.form_token as string,
        team_name: 'CERT Hostile',
        kind: 'national-csirt',
        country: 'PY',
        sector: 'government',
        mandate: 'Decree 1/2020',
        website: 'https://www.cert.example',
        constituency: { cidrs: ['198.51.100.0/24'] },
        contacts: [{ name: 'Duty officer', email: 'duty@cert.example', time_zone: 'America/Asuncion' }],
        applicant_name: 'Ana',
        applicant_email: 'ana@cert.example',
        preferred_language: 'es',
      }),
      field: 'team_name',
    },
  ];

  describe.each(ENDPOINTS.map((endpoint) => [endpoint.name, endpoint] as const))('%s', (_, endpoint) => {
    it.each(CORPUS.map((hostile) => [hostile.name, hostile] as const))(
      'refuses %s with a reason, in bounded time, storing nothing',
      async (__, hostile) => {
        const body = hostile.body(await endpoint.valid(), endpoint.field);
        const before = await counts();
        const started = Date.now();
        // The bytes as they are: superagent would otherwise JSON-encode a Buffer as {"type":"Buffer",…}.
        let call = http()
          .post(endpoint.path())
          .set('Content-Type', 'application/json')
          .serialize((bytes: Buffer) => bytes as unknown as string)
          .send(body);
        if (endpoint.authorization) call = call.set('Authorization', endpoint.authorization());
        const answer = await call;
        const tookMs = Date.now() - started;
        const shown = JSON.stringify(answer.body).slice(0, 400);

        const asAbsent = hostile.leavesFieldAbsent === true && endpoint.absentStatus !== undefined;
        const status = asAbsent ? endpoint.absentStatus : hostile.status;
        expect({ status: answer.status, shown }).toEqual({ status, shown });
        expect(answer.body.message).toEqual(expect.any(String));
        const details = (answer.body.details ?? []) as { path: string; reason: string }[];
        const reasons = [answer.body.message as string, ...details.map((detail) => detail.reason)];
        expect({ shown, matched: reasons.some((reason) => hostile.reason.test(reason)) }).toEqual({
          shown,
          matched: true,
        });
        if (hostile.namesField && !asAbsent) {
          const paths = details.map((detail) => detail.path);
          expect({ shown, named: paths.some((path) => path.split(/[.[]/)[0] === endpoint.field) }).toEqual({
            shown,
            named: true,
          });
        }
        expect(tookMs).toBeLessThan(TIME_BOUND_MS);
        expect(await counts()).toEqual(before);
        expect(({} as Record<string, unknown>)[endpoint.field]).toBeUndefined();
      },
    );
  });

  it('keeps serving after the whole corpus', async () => {
    await http().get('/health').expect(200);
  });
});
