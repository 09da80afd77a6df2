import { randomUUID } from 'node:crypto';
import { NestExpressApplication } from '@nestjs/platform-express';
import { hashInvitationToken } from '@vigia/auth';
import { ApiKeyEntity, AuditEventRow, OrganisationRepository, UserRole } from '@vigia/database';
import request from 'supertest';
import { TestPerson, accessTokenFor, createPerson } from '../support/access-token';
import { bootPortalApp } from '../support/portal-app';
import { TestContext, createTestContext } from '../support/test-context';

/** An event as `audit_events` stores it (the API answers the same fields). */
type StoredEvent = Omit<AuditEventRow, 'id' | 'occurred_at'>;

// Administration leaves one audit event per change, in the organisation acted on, with who did it and the request.
describe('audit of administration', () => {
  let context: TestContext;
  let portal: NestExpressApplication;
  let coordinatingId: string;
  let coordinator: TestPerson;

  beforeAll(async () => {
    context = await createTestContext();
    portal = await bootPortalApp(context.config);
    coordinatingId = (await portal.get(OrganisationRepository).findOrCreateCoordinator('Coordination', 'coord')).id;
    coordinator = await createPerson(portal, coordinatingId, UserRole.Coordinator);
  });

  afterAll(async () => {
    await portal?.close();
    await context?.cleanup();
  });

  const call = (method: 'post' | 'patch' | 'delete', path: string, requestId: string, token?: string) => {
    const sent = request(portal.getHttpServer())[method](`/api/v1${path}`).set('X-Request-Id', requestId);
    return token ? sent.auth(token, { type: 'bearer' }) : sent;
  };

  /** The organisation's events, oldest first. */
  const eventsOf = async (organisationId: string): Promise<StoredEvent[]> =>
    (await context.dataSource.query(
      `SELECT organisation_id, actor_user_id, actor_api_key_id, actor_organisation_id, action, target_type, target_id,
              host(address) AS address, request_id, details
         FROM audit_events WHERE organisation_id = $1 ORDER BY id`,
      [organisationId],
    )) as StoredEvent[];

  it('records each change once, under the organisation acted on, with its actor and request, and no secrets', async () => {
    // A coordinator creates an organisation (a second attempt with the same short name changes nothing).
    const created = await call('post', '/organisations', 'adm-org-create', coordinator.token)
      .send({ name: 'CSIRT Audit', short_name: 'csirt-audit', country: 'UY' })
      .expect(201);
    const organisationId = created.body.id as string;
    await call('post', '/organisations', 'adm-org-again', coordinator.token)
      .send({ name: 'Again', short_name: 'csirt-audit', country: 'UY' })
      .expect(409);

    // The coordinator invites the member's org-admin, who accepts (once).
    const invited = await call('post', `/organisations/${organisationId}/users`, 'adm-invite', coordinator.token)
      .send({ email: `admin-${randomUUID()}@example.org`, display_name: 'Admin', role: 'org-admin' })
      .expect(201);
    const adminId = invited.body.id as string;
    const invitationToken = invited.body.invitation.token as string;
    const password = 'a long enough password';
    await call('post', '/invitations/accept', 'adm-accept').send({ token: invitationToken, password }).expect(204);
    await call('post', '/invitations/accept', 'adm-accept-again')
      .send({ token: invitationToken, password: 'another long password' })
      .expect(400);
    const admin = await accessTokenFor(portal, adminId);

    // The org-admin invites an analyst and makes them an org-admin; the coordinator disables and re-enables them.
    const analyst = await call('post', `/organisations/${organisationId}/users`, 'adm-invite-analyst', admin)
      .send({ email: `analyst-${randomUUID()}@example.org`, display_name: 'Analyst', role: 'analyst' })
      .expect(201);
    const analystId = analyst.body.id as string;
    const analystPath = `/organisations/${organisationId}/users/${analystId}`;
    await call('patch', analystPath, 'adm-role', admin).send({ role: 'org-admin' }).expect(200);
    await call('patch', analystPath, 'adm-role-same', admin).send({ role: 'org-admin' }).expect(200);
    await call('patch', analystPath, 'adm-disable', coordinator.token).send({ disabled: true }).expect(200);
    await call('patch', analystPath, 'adm-enable', coordinator.token).send({ disabled: false }).expect(200);
    await call('patch', `/organisations/${organisationId}/users/${adminId}`, 'adm-self-disable', admin)
      .send({ disabled: true })
      .expect(409);

    // The org-admin creates an API key and revokes it (revoking it again changes nothing).
    const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
    const key = await call('post', `/organisations/${organisationId}/api-keys`, 'adm-key-create', admin)
      .send({ name: 'SIEM', scopes: ['reports:write', 'indicators:read'], expires_at: expiresAt })
      .expect(201);
    const keyId = key.body.id as string;
    const keySecret = key.body.secret as string;
    await call('delete', `/organisations/${organisationId}/api-keys/${keyId}`, 'adm-key-revoke', admin).expect(204);
    await call('delete', `/organisations/${organisationId}/api-keys/${keyId}`, 'adm-key-revoke-2', admin).expect(204);

    // The coordinator suspends the organisation and reactivates it.
    const status = (requestId: string, value: string) =>
      call('patch', `/organisations/${organisationId}/status`, requestId, coordinator.token).send({
        status: value,
        reason: `${requestId} reason`,
      });
    await status('adm-suspend', 'suspended').expect(200);
    await status('adm-suspend-again', 'suspended').expect(200);
    await status('adm-reactivate', 'active').expect(200);

    const events = await eventsOf(organisationId);
    const byCoordinator = {
      actor_user_id: coordinator.user.id,
      actor_api_key_id: null,
      actor_organisation_id: coordinatingId,
    };
    const byAdmin = { actor_user_id: adminId, actor_api_key_id: null, actor_organisation_id: organisationId };
    const user = (id: string) => ({ target_type: 'user', target_id: id });
    const apiKey = { target_type: 'api_key', target_id: keyId };
    const organisation = { target_type: 'organisation', target_id: organisationId };
    const expected = [
      ['adm-org-create', 'organisation.created', byCoordinator, organisation, { short_name: 'csirt-audit' }],
      ['adm-invite', 'user.invited', byCoordinator, user(adminId), { role: 'org-admin' }],
      [
        'adm-accept',
        'user.invitation_accepted',
        { actor_user_id: null, actor_api_key_id: null, actor_organisation_id: null },
        user(adminId),
        {},
      ],
      ['adm-invite-analyst', 'user.invited', byAdmin, user(analystId), { role: 'analyst' }],
      ['adm-role', 'user.role_changed', byAdmin, user(analystId), { from: 'analyst', to: 'org-admin' }],
      ['adm-disable', 'user.disabled', byCoordinator, user(analystId), { disabled: true }],
      ['adm-enable', 'user.disabled', byCoordinator, user(analystId), { disabled: false }],
      [
        'adm-key-create',
        'api_key.created',
        byAdmin,
        apiKey,
        { name: 'SIEM', scopes: ['reports:write', 'indicators:read'], expires_at: expiresAt },
      ],
      ['adm-key-revoke', 'api_key.revoked', byAdmin, apiKey, {}],
      [
        'adm-suspend',
        'organisation.status_changed',
        byCoordinator,
        organisation,
        { from: 'active', to: 'suspended', reason: 'adm-suspend reason', cancelled_deliveries: 0 },
      ],
      [
        'adm-reactivate',
        'organisation.status_changed',
        byCoordinator,
        organisation,
        { from: 'suspended', to: 'active', reason: 'adm-reactivate reason', cancelled_deliveries: 0 },
      ],
    ] as const;
    // Exactly one event per change, in order; refused and no-op requests left none.
    expect(events.map((event) => [event.request_id, event.action])).toEqual(
      expected.map(([requestId, action]) => [requestId, action]),
    );
    expected.forEach(([requestId, action, actor, target, details], index) => {
      expect({ requestId, event: events[index] }).toEqual({
        requestId,
        event: expect.objectContaining({
          organisation_id: organisationId,
          action,
          ...actor,
          ...target,
          address: '127.0.0.1',
          details: expect.objectContaining(details),
        }),
      });
    });

    // Nothing was recorded under the coordinating organisation for acting on a member.
    const coordinating = await context.dataSource.query(
      `SELECT count(*)::int AS count FROM audit_events WHERE organisation_id = $1 AND request_id LIKE 'adm-%'`,
      [coordinatingId],
    );
    expect(coordinating).toEqual([{ count: 0 }]);

    // No event carries the key's secret or digest, the invitation token or its digest, or the password.
    const { keyHash } = await context.dataSource.getRepository(ApiKeyEntity).findOneByOrFail({ id: keyId });
    const everything = JSON.stringify(events);
    for (const secret of [keySecret, keyHash, invitationToken, hashInvitationToken(invitationToken), password]) {
      expect(everything).not.toContain(secret);
    }
  });
});
