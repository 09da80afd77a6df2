import { AuditRepository, NewAuditEvent, OrganisationKind, UserRole } from '@vigia/database';
import type { Request } from 'express';
import { OrganisationPrincipal } from '@vigia/auth';
import { AuditAction, AuditTargetType } from './audit-action';
import { AuditLog, withoutSecrets } from './audit-log.service';
import { requestOriginOf } from './request-origin';

const person: OrganisationPrincipal = {
  organisationId: '11111111-1111-4111-8111-111111111111',
  organisationName: 'CSIRT A',
  organisationKind: OrganisationKind.NationalCsirt,
  scopes: [],
  userId: '22222222-2222-4222-8222-222222222222',
  role: UserRole.OrgAdmin,
};

const fakeRepository = (append: (...events: NewAuditEvent[]) => Promise<void>): AuditRepository =>
  ({ append }) as unknown as AuditRepository;

describe('AuditLog', () => {
  it('fills the actor from the principal and the origin from the request', () => {
    const log = new AuditLog(fakeRepository(async () => undefined));
    const event = log.event(
      {
        action: AuditAction.SubscriptionDeleted,
        targetType: AuditTargetType.Subscription,
        targetId: 'sub-1',
        details: { name: 'x', webhook_secret: 'whsec_x', access_token: 't', password: 'p', key_hash: 'h' },
      },
      person,
      { address: '198.51.100.7', requestId: 'req-1' },
    );
    expect(event).toEqual({
      organisationId: person.organisationId,
      action: 'subscription.deleted',
      actorUserId: person.userId,
      actorApiKeyId: null,
      actorOrganisationId: person.organisationId,
      targetType: 'subscription',
      targetId: 'sub-1',
      address: '198.51.100.7',
      requestId: 'req-1',
      details: { name: 'x' },
    });
  });

  it('names the organisation acted on when it is not the actor’s', () => {
    const log = new AuditLog(fakeRepository(async () => undefined));
    const other = '33333333-3333-4333-8333-333333333333';
    expect(log.event({ action: AuditAction.UserDisabled, organisationId: other }, person)).toMatchObject({
      organisationId: other,
      actorOrganisationId: person.organisationId,
    });
  });

  it('never throws from record: a failure to append is logged', async () => {
    const log = new AuditLog(
      fakeRepository(async () => {
        throw new Error('database down');
      }),
    );
    await expect(log.record({ action: AuditAction.LoginFailed }, person)).resolves.toBeUndefined();
    await expect(log.record({ action: AuditAction.LoginFailed })).resolves.toBeUndefined();
  });

  it('drops secret-looking keys from details', () => {
    expect(withoutSecrets({ count: 3, refresh_token: 'x', totp_code: '123456', Authorization: 'Bearer' })).toEqual({
      count: 3,
    });
  });

  it('drops secret-looking keys inside nested records and lists too (a change’s before and after)', () => {
    expect(
      withoutSecrets({ before: { name: 'a', api_token: 'x', items: [{ password: 'p', id: 1 }] }, after: null }),
    ).toEqual({ before: { name: 'a', items: [{ id: 1 }] }, after: null });
  });
});

describe('requestOriginOf', () => {
  const requestWith = (ip: string | undefined, id: unknown): Request & { id?: unknown } =>
    ({ ip, id, socket: { remoteAddress: ip } }) as unknown as Request & { id?: unknown };

  it('keeps the address (IPv4-mapped as IPv4) and the request id', () => {
    expect(requestOriginOf(requestWith('::ffff:192.0.2.1', 'abc'))).toEqual({ address: '192.0.2.1', requestId: 'abc' });
    expect(requestOriginOf(requestWith('2001:db8::1', 7))).toEqual({ address: '2001:db8::1', requestId: '7' });
  });

  it('answers null for what is not there or not an address', () => {
    expect(requestOriginOf(requestWith(undefined, undefined))).toEqual({ address: null, requestId: null });
    expect(requestOriginOf(requestWith('unknown', {}))).toEqual({ address: null, requestId: null });
  });
});
