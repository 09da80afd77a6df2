import { NestExpressApplication } from '@nestjs/platform-express';
import { Scope } from '@vigia/auth';
import {
  ApiKeyEntity,
  ApplicationEndorsementEntity,
  ApplicationEntity,
  ApplicationEventEntity,
  AuditEventEntity,
  InvitationEntity,
  MailEntity,
  OutboxJobEntity,
  RefreshTokenEntity,
  UserEntity,
  UserRecoveryCodeEntity,
  UserSessionEntity,
  UserTotpEntity,
} from '@vigia/database';
import { OrganisationRepository, UserRole } from '@vigia/database';
import request from 'supertest';
import { createOrganisation } from '../../scripts/lib/organisation.factory';
import { createPerson } from '../support/access-token';
import { bootPortalApp } from '../support/portal-app';
import { TestContext, createTestContext } from '../support/test-context';
import { applicationBody as application } from '../factories/application.factory';

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
  ApplicationEndorsementEntity,
  MailEntity,
  AuditEventEntity,
  OutboxJobEntity,
];

/** A refusal must come within this, however hostile the body (a busy two-core machine included). */
const TIME_BOUND_MS = 3000;

const deepJson = (levels: number): string => `${'{"nested":'.repeat(levels)}"bottom"${'}'.repeat(levels)}`;
const deepArrayJson = (levels: number): string => `${'['.repeat(levels)}${']'.repeat(levels)}`;

interface Endpoint {
  name: string;
  /** POST unless said. */
  method?: 'patch';
  path: () => string;
  authorization?: () => string;
  /** A body that passes validation (it may still be refused later, e.g. unknown credentials). */
  valid: () => Promise<Record<string, unknown>>;
  /** The string field the corpus attacks. */
  field: string;
  /** For an optional field (null counts as absent): the status an absent one gets (e.g. 401, no token). */
  absentStatus?: number;
  /** Free text, where an SQL injection string is just text: it is taken as the other strings are, not refused. */
  freeText?: boolean;
  /** The status an SQL injection string gets, when not 400 (an unknown token: 401). */
  injectionStatus?: number;
  /** Null is refused (400) rather than taken as absent. */
  refusesNull?: boolean;
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
  /** Plain text to free-text fields: refused elsewhere, it must not reach SQL as anything but a value. */
  sqlInjection?: boolean;
  /** The field is sent as null. */
  sendsNull?: boolean;
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
    sendsNull: raw === 'null',
  })),
  ...[
    "x' OR '1'='1",
    "'; DROP TABLE users; --",
    '1; SELECT pg_sleep(10)--',
    "x'||(SELECT string_agg(password_hash, ',') FROM users)||'",
  ].map((injection): HostileCase => ({
    name: `the SQL injection string ${JSON.stringify(injection)}`,
    body: (valid, field) => json(JSON.stringify({ ...valid, [field]: injection })),
    status: 400,
    reason: /./,
    namesField: true,
    sqlInjection: true,
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
  let coordinator: string;
  let analystId: string;
  /** An application under review: what reviews, comments and endorsements act on. */
  let applicationId: string;

  beforeAll(async () => {
    context = await createTestContext({ APPLICATION_MIN_FILL_SECONDS: '0', APPLICATION_RATE_LIMIT_PER_HOUR: '1000' });
    app = await bootPortalApp(context.config);
    organisationId = (await createOrganisation(context.dataSource, { name: 'CERT Alfa' })).id;
    admin = (await createPerson(app, organisationId, UserRole.OrgAdmin)).authorization;
    const analystPerson = await createPerson(app, organisationId, UserRole.Analyst);
    analyst = analystPerson.authorization;
    analystId = analystPerson.user.id;
    const coordinating = await app.get(OrganisationRepository).findOrCreateCoordinator('Coordination', 'coord');
    coordinator = (await createPerson(app, coordinating.id, UserRole.Coordinator)).authorization;
    const submitted = await http()
      .post('/api/v1/applications')
      .send(await applicationBody())
      .expect(202);
    applicationId = submitted.body.id as string;
    // As if the applicant had followed the mailed link (the mail's token is only in the outbox here).
    await context.dataSource.query(
      `UPDATE applications SET status = 'under_review', verified_at = now() WHERE id = $1`,
      [applicationId],
    );
  });

  afterAll(async () => {
    await app?.close();
    await context?.cleanup();
  });

  const http = () => request(app.getHttpServer());

  const applicationBody = async (): Promise<Record<string, unknown>> => ({
    form_token: (await http().get('/api/v1/applications/form').expect(200)).body.form_token as string,
    ...application({ team_name: 'CERT Hostile' }),
  });

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
      freeText: true,
    },
    {
      name: 'POST /api/v1/auth/refresh',
      path: () => '/api/v1/auth/refresh',
      valid: async () => ({ refresh_token: 'r'.repeat(43) }),
      field: 'refresh_token',
      absentStatus: 401,
      injectionStatus: 401,
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
      freeText: true,
    },
    {
      name: 'POST /api/v1/applications',
      path: () => '/api/v1/applications',
      valid: applicationBody,
      field: 'team_name',
      freeText: true,
    },
    {
      name: 'POST /api/v1/applications (applicant e-mail)',
      path: () => '/api/v1/applications',
      valid: applicationBody,
      field: 'applicant_email',
    },
    {
      name: 'POST /api/v1/applications/:id/transitions (information request)',
      path: () => `/api/v1/applications/${applicationId}/transitions`,
      authorization: () => coordinator,
      valid: async () => ({ status: 'information_requested', reason: 'Which networks do you serve?' }),
      field: 'reason',
      freeText: true,
    },
    {
      name: 'POST /api/v1/applications/:id/transitions (status)',
      path: () => `/api/v1/applications/${applicationId}/transitions`,
      authorization: () => coordinator,
      valid: async () => ({ status: 'rejected', reason: 'Not a CSIRT' }),
      field: 'status',
    },
    {
      name: 'POST /api/v1/applications/:id/transitions (short name)',
      path: () => `/api/v1/applications/${applicationId}/transitions`,
      authorization: () => coordinator,
      valid: async () => ({ status: 'approved', short_name: 'cert-hostile' }),
      field: 'short_name',
      // Left out, the short name comes from the team name: approval then waits for its endorsements.
      absentStatus: 409,
    },
    {
      name: 'POST /api/v1/applications/:id/comments',
      path: () => `/api/v1/applications/${applicationId}/comments`,
      authorization: () => coordinator,
      valid: async () => ({ comment: 'Checked their constituency' }),
      field: 'comment',
      freeText: true,
    },
    {
      name: 'POST /api/v1/applications/:id/endorsements',
      path: () => `/api/v1/applications/${applicationId}/endorsements`,
      authorization: () => admin,
      valid: async () => ({ comment: 'We have worked with them for years' }),
      field: 'comment',
      freeText: true,
    },
    {
      name: 'POST /api/v1/applications/:id/external-endorsements',
      path: () => `/api/v1/applications/${applicationId}/external-endorsements`,
      authorization: () => coordinator,
      valid: async () => ({ endorser: 'National contact point', comment: 'Known to us' }),
      field: 'endorser',
      freeText: true,
    },
    {
      name: 'POST /api/v1/applications/applicant/answer',
      path: () => '/api/v1/applications/applicant/answer',
      valid: async () => ({ token: 'a'.repeat(43), answer: 'AS64500 and 198.51.100.0/24' }),
      field: 'answer',
      freeText: true,
    },
    {
      name: 'POST /api/v1/applications/applicant/answer (token)',
      path: () => '/api/v1/applications/applicant/answer',
      valid: async () => ({ token: 'a'.repeat(43), answer: 'AS64500 and 198.51.100.0/24' }),
      field: 'token',
    },
    {
      name: 'POST /api/v1/organisations/:id/users (invitation)',
      path: () => `/api/v1/organisations/${organisationId}/users`,
      authorization: () => admin,
      valid: async () => ({ email: 'new.analyst@cert-alfa.example', display_name: 'New Analyst', role: 'analyst' }),
      field: 'email',
    },
    {
      name: 'POST /api/v1/organisations/:id/users (display name)',
      path: () => `/api/v1/organisations/${organisationId}/users`,
      authorization: () => admin,
      valid: async () => ({ email: 'new.analyst@cert-alfa.example', display_name: 'New Analyst', role: 'analyst' }),
      field: 'display_name',
      freeText: true,
    },
    {
      name: 'POST /api/v1/organisations/:id/users (role)',
      path: () => `/api/v1/organisations/${organisationId}/users`,
      authorization: () => admin,
      valid: async () => ({ email: 'new.analyst@cert-alfa.example', display_name: 'New Analyst', role: 'analyst' }),
      field: 'role',
    },
    {
      name: 'PATCH /api/v1/organisations/:id/users/:userId',
      method: 'patch',
      path: () => `/api/v1/organisations/${organisationId}/users/${analystId}`,
      authorization: () => admin,
      // The analyst's own role: taken as it is, it changes nothing.
      valid: async () => ({ role: 'analyst' }),
      field: 'role',
      absentStatus: 200,
      refusesNull: true,
    },
  ];

  describe.each(ENDPOINTS.map((endpoint) => [endpoint.name, endpoint] as const))('%s', (_, endpoint) => {
    const corpus = CORPUS.filter((hostile) => !(hostile.sqlInjection && endpoint.freeText));
    it.each(corpus.map((hostile) => [hostile.name, hostile] as const))(
      'refuses %s with a reason, in bounded time, storing nothing',
      async (__, hostile) => {
        const body = hostile.body(await endpoint.valid(), endpoint.field);
        const before = await counts();
        const started = Date.now();
        // The bytes as they are: superagent would otherwise JSON-encode a Buffer as {"type":"Buffer",…}.
        let call = http()
          [endpoint.method ?? 'post'](endpoint.path())
          .set('Content-Type', 'application/json')
          .serialize((bytes: Buffer) => bytes as unknown as string)
          .send(body);
        if (endpoint.authorization) call = call.set('Authorization', endpoint.authorization());
        const answer = await call;
        const tookMs = Date.now() - started;
        const shown = JSON.stringify(answer.body).slice(0, 400);

        const asAbsent =
          hostile.leavesFieldAbsent === true &&
          endpoint.absentStatus !== undefined &&
          !(hostile.sendsNull && endpoint.refusesNull);
        const injected = hostile.sqlInjection ? endpoint.injectionStatus : undefined;
        const status = asAbsent ? endpoint.absentStatus : (injected ?? hostile.status);
        expect({ status: answer.status, shown }).toEqual({ status, shown });
        expect(await counts()).toEqual(before);
        expect(tookMs).toBeLessThan(TIME_BOUND_MS);
        if (answer.status < 400) return; // an optional field left absent: a change of nothing
        expect(answer.body.message).toEqual(expect.any(String));
        const details = (answer.body.details ?? []) as { path: string; reason: string }[];
        const reasons = [answer.body.message as string, ...details.map((detail) => detail.reason)];
        expect({ shown, matched: reasons.some((reason) => hostile.reason.test(reason)) }).toEqual({
          shown,
          matched: true,
        });
        // An unknown token (401) is not a problem with a field.
        if (hostile.namesField && !asAbsent && injected === undefined) {
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

  it('refuses null for a user’s role or disabled flag, changing nothing (null once re-enabled an account)', async () => {
    const patch = (body: Record<string, unknown>) =>
      http().patch(`/api/v1/organisations/${organisationId}/users/${analystId}`).set('Authorization', admin).send(body);
    await patch({ disabled: true }).expect(200);
    for (const field of ['role', 'disabled']) {
      const refused = await patch({ [field]: null }).expect(400);
      expect(refused.body.details).toEqual([expect.objectContaining({ path: field })]);
    }
    const [user] = (await context.dataSource.query(`SELECT role, disabled_at FROM users WHERE id = $1`, [
      analystId,
    ])) as { role: string; disabled_at: Date | null }[];
    expect(user).toEqual({ role: 'analyst', disabled_at: expect.any(Date) });
    await patch({ disabled: false }).expect(200);
  });

  it('keeps SQL injection strings in free text as the text they are', async () => {
    const injections = CORPUS.filter((hostile) => hostile.sqlInjection).map(
      (hostile) => JSON.parse(hostile.body({}, 'comment').toString('utf8')) as { comment: string },
    );
    const people = await context.dataSource.getRepository(UserEntity).count();
    for (const { comment } of injections) {
      const started = Date.now();
      await http()
        .post(`/api/v1/applications/${applicationId}/comments`)
        .set('Authorization', coordinator)
        .send({ comment })
        .expect(201);
      expect(Date.now() - started).toBeLessThan(TIME_BOUND_MS);
    }
    const kept = (await context.dataSource.query(
      `SELECT text FROM application_events WHERE application_id = $1 AND text IS NOT NULL`,
      [applicationId],
    )) as { text: string }[];
    expect(kept.map((event) => event.text)).toEqual(expect.arrayContaining(injections.map((i) => i.comment)));
    expect(await context.dataSource.getRepository(UserEntity).count()).toBe(people);
  });

  it('keeps serving after the whole corpus', async () => {
    await http().get('/health').expect(200);
  });
});
