import { NestExpressApplication } from '@nestjs/platform-express';
import { DirectoryRepository, OrganisationRepository, OrganisationStatus, UserRole } from '@vigia/database';
import request from 'supertest';
import { createOrganisation, createOrganisationWithApiKey } from '../../scripts/lib/organisation.factory';
import { createPerson } from '../support/access-token';
import { bootPortalApp } from '../support/portal-app';
import { TestContext, createTestContext } from '../support/test-context';

/**
 * "Who is responsible for this?" over a directory built to be ambiguous: nested networks (a /16 national CSIRT, a /24
 * sector CSIRT, a /25 ministry and a suspended member's /26 inside it), nested domain suffixes, a network and an AS
 * number that two members share.
 */
describe('portal: directory lookup', () => {
  let context: TestContext;
  let app: NestExpressApplication;
  let apiKey: string;
  const ids: Record<'national' | 'sector' | 'ministry' | 'sharedOne' | 'sharedTwo' | 'suspended', string> = {
    national: '',
    sector: '',
    ministry: '',
    sharedOne: '',
    sharedTwo: '',
    suspended: '',
  };

  const contactOf = (name: string) => ({
    name: `${name} duty`,
    role: 'Incident desk',
    email: `duty@${name}.example`,
    phone: '+59821234567',
    time_zone: 'America/Montevideo',
    languages: ['es'],
    hours: '24/7',
  });

  beforeAll(async () => {
    context = await createTestContext();
    app = await bootPortalApp(context.config);
    apiKey = (await createOrganisationWithApiKey(context.dataSource)).apiKey;
    const coordinating = await app.get(OrganisationRepository).findOrCreateCoordinator('Coordination', 'coord');
    const coordinator = (await createPerson(app, coordinating.id, UserRole.Coordinator)).authorization;
    const constituencies: Record<keyof typeof ids, object> = {
      national: { cidrs: ['198.51.0.0/16', '2001:db8::/32'], asns: [64500], domains: ['uy'] },
      sector: { cidrs: ['198.51.100.0/24', '2001:db8:100::/48'], asns: [64501], domains: ['gub.uy'] },
      ministry: {
        cidrs: ['198.51.100.128/25', '2001:db8:100:1::/64'],
        domains: ['salud.gub.uy', 'bücher.example'],
      },
      sharedOne: { cidrs: ['203.0.113.0/24'], asns: [64500] },
      sharedTwo: { cidrs: ['203.0.113.0/24'] },
      suspended: { cidrs: ['198.51.100.192/26', '2001:db8:100:1::/80'], domains: ['www.salud.gub.uy'], asns: [64502] },
    };
    for (const name of Object.keys(ids) as (keyof typeof ids)[]) {
      const organisation = await createOrganisation(context.dataSource, { name: `CSIRT ${name}` });
      ids[name] = organisation.id;
      await request(app.getHttpServer())
        .put(`/api/v1/directory/${organisation.id}`)
        .set('Authorization', coordinator)
        .send({ contacts: [contactOf(name)], constituency: constituencies[name] })
        .expect(200);
    }
    // Suspended after it wrote its entry: its constituency no longer answers.
    await context.dataSource.query(`UPDATE organisations SET status = $2 WHERE id = $1`, [
      ids.suspended,
      OrganisationStatus.Suspended,
    ]);
  });

  afterAll(async () => {
    await app?.close();
    await context?.cleanup();
  });

  const lookup = (value: string) =>
    request(app.getHttpServer()).get('/api/v1/directory/lookup').query({ value }).set('X-Api-Key', apiKey);

  const owners = async (
    value: string,
  ): Promise<{ matched: string | null; ids: string[]; value: string; type: string }> => {
    const answer = await lookup(value).expect(200);
    return {
      value: answer.body.value,
      type: answer.body.type,
      matched: answer.body.matched,
      ids: (answer.body.organisations as { organisation: { id: string } }[]).map((entry) => entry.organisation.id),
    };
  };

  it.each([
    ['198.51.100.200', 'ministry', '198.51.100.128/25'],
    ['198.51.100.128', 'ministry', '198.51.100.128/25'],
    ['198.51.100.7', 'sector', '198.51.100.0/24'],
    ['198.51.7.7', 'national', '198.51.0.0/16'],
    ['198[.]51[.]100[.]250', 'ministry', '198.51.100.128/25'],
  ] as const)('IPv4 %s belongs to the most specific network: %s', async (value, owner, matched) => {
    expect(await owners(value)).toMatchObject({ type: 'ipv4', matched, ids: [ids[owner]] });
  });

  it.each([
    ['2001:db8:100:1::5', 'ministry', '2001:db8:100:1::/64'],
    ['2001:DB8:0100:0001:0:0:0:5', 'ministry', '2001:db8:100:1::/64'],
    ['2001:db8:100:2::1', 'sector', '2001:db8:100::/48'],
    ['2001:db8:ffff::1', 'national', '2001:db8::/32'],
  ] as const)('IPv6 %s belongs to the most specific network: %s', async (value, owner, matched) => {
    expect(await owners(value)).toMatchObject({ type: 'ipv6', matched, ids: [ids[owner]] });
  });

  it.each([
    ['www.salud.gub.uy', 'ministry', 'salud.gub.uy'],
    ['SALUD.gub.uy.', 'ministry', 'salud.gub.uy'],
    ['xsalud.gub.uy', 'sector', 'gub.uy'],
    ['mail.gub.uy', 'sector', 'gub.uy'],
    ['example.com.uy', 'national', 'uy'],
    ['bücher.example', 'ministry', 'xn--bcher-kva.example'],
    ['www.BÜCHER.example', 'ministry', 'xn--bcher-kva.example'],
    ['shop.xn--bcher-kva.example', 'ministry', 'xn--bcher-kva.example'],
  ] as const)('domain %s belongs to the longest suffix: %s', async (value, owner, matched) => {
    expect(await owners(value)).toMatchObject({ type: 'domain', matched, ids: [ids[owner]] });
  });

  it('answers an IDN domain and its punycode alike, canonical', async () => {
    const unicode = await lookup('www.bücher.example').expect(200);
    const punycode = await lookup('www.xn--bcher-kva.example').expect(200);
    expect(unicode.body).toEqual(punycode.body);
    expect(unicode.body.value).toBe('www.xn--bcher-kva.example');
  });

  it('answers every organisation that holds the same most specific match, with their 24/7 contacts', async () => {
    const shared = await lookup('203.0.113.9').expect(200);
    expect(shared.body.matched).toBe('203.0.113.0/24');
    expect(
      new Set(shared.body.organisations.map((entry: { organisation: { id: string } }) => entry.organisation.id)),
    ).toEqual(new Set([ids.sharedOne, ids.sharedTwo]));
    expect(shared.body.organisations[0].contacts).toEqual([
      expect.objectContaining({
        email: expect.stringMatching(/^duty@shared(One|Two)\.example$/),
        phone: '+59821234567',
      }),
    ]);
    expect((await owners('AS64500')).ids.sort()).toEqual([ids.national, ids.sharedOne].sort());
    expect(await owners('64501')).toMatchObject({ type: 'asn', value: '64501', matched: '64501', ids: [ids.sector] });
  });

  it('answers nobody for values outside every constituency, and ignores organisations that are not active', async () => {
    expect(await owners('192.0.2.1')).toEqual({ value: '192.0.2.1', type: 'ipv4', matched: null, ids: [] });
    expect(await owners('example.org')).toMatchObject({ matched: null, ids: [] });
    expect(await owners('AS64502')).toMatchObject({ matched: null, ids: [] });
    expect(await owners('2001:db8:100:1::1')).toMatchObject({ ids: [ids.ministry] });
  });

  it.each([
    ['hello world', /not allowed/],
    ['999.1.1.1', /999\.1\.1\.1/],
    ['AS4294967296', /out of range/],
    ['2001:db8::g', /2001:db8::g/],
    ['https://www.gub.uy/x', /URL/],
  ])('refuses %s with the reason', async (value, reason) => {
    const answer = await lookup(value).expect(400);
    expect(answer.body.details[0]).toMatchObject({ path: 'value', reason: expect.stringMatching(reason) });
  });

  it('gives the fan-out the constituency of every active organisation that declares one', async () => {
    const constituencies = await app.get(DirectoryRepository).findAllConstituencies();
    const byId = new Map(constituencies.map((item) => [item.organisationId, item.constituency]));
    expect([...byId.keys()].sort()).toEqual(
      [ids.national, ids.sector, ids.ministry, ids.sharedOne, ids.sharedTwo].sort(),
    );
    expect(byId.get(ids.ministry)).toEqual({
      cidrs: ['198.51.100.128/25', '2001:db8:100:1::/64'],
      asns: [],
      domains: ['salud.gub.uy', 'xn--bcher-kva.example'],
    });
    expect(byId.get(ids.national)!.asns).toEqual([64500]);
  });

  it('refuses a lookup without a value', async () => {
    const answer = await request(app.getHttpServer())
      .get('/api/v1/directory/lookup')
      .set('X-Api-Key', apiKey)
      .expect(400);
    expect(answer.body.details[0].path).toBe('value');
  });
});
