import { NestExpressApplication } from '@nestjs/platform-express';
import { OrganisationKind, UserRole } from '@vigia/database';
import { Browser } from 'playwright-core';
import request from 'supertest';
import { createOrganisation } from '../../scripts/lib/organisation.factory';
import { insertDelivery, insertStatement, storeReportReceived } from '../factories/network-activity.factory';
import { createPerson } from '../support/access-token';
import { PageRecorder, launchChromium, listening, newConsolePage, signInAndEnrol } from '../support/console-browser';
import { createUser } from '../support/people';
import { expiredPublicKey, testKeyPair } from '../support/pgp-keys';
import { storedMails } from '../support/stored-mails';
import { bootPortalApp } from '../support/portal-app';
import { TestContext, createTestContext } from '../support/test-context';
import { applicationBody, dutyContact } from '../factories/application.factory';

/**
 * The coordinator's and org-admins' parts of the console in chromium, against the real portal on PostgreSQL and
 * Redis: network health with its charts, the 24/7 directory and its reachability, who is responsible for an address,
 * an org-admin's own directory entry with an OpenPGP key, and an application's review (information request, external
 * endorsement, comment). Every page is scanned by axe-core and photographed.
 */
describe('console in a browser: network health, directory, applications (coordinator and org-admin)', () => {
  let context: TestContext;
  let portal: NestExpressApplication;
  let browser: Browser;
  let baseUrl: string;
  let apiCoordinator: string;
  let andes: string;
  const recorder = new PageRecorder();

  const contact = (email: string, name: string) =>
    dutyContact({
      name,
      email,
      phone: '+59821234567',
      time_zone: 'America/Montevideo',
      languages: ['es', 'en'],
    });

  /** The link token of the newest mail to `recipient` whose body holds `path` (bodies are sealed: opened here). */
  const tokenMailedTo = async (recipient: string, path: string): Promise<string> => {
    const rows = await storedMails<{ body: string | null }>(
      context,
      `SELECT body FROM mails WHERE recipient = $1 ORDER BY created_at DESC`,
      [recipient],
    );
    const link = new RegExp(`${path.replace(/[/]/g, '\\/')}\\?token=([A-Za-z0-9_-]+)`);
    const match = rows.map((row) => link.exec(row.body ?? '')).find((found) => found !== null);
    if (!match) throw new Error(`no ${path} link mailed to ${recipient}`);
    return match[1]!;
  };

  beforeAll(async () => {
    context = await createTestContext({ APPLICATION_MIN_FILL_SECONDS: '0' });
    portal = await bootPortalApp(context.config);
    baseUrl = (await listening(portal)).replace('127.0.0.1', 'localhost');
    browser = await launchChromium();
    const coordinating = await createOrganisation(context.dataSource, {
      name: 'Network coordination',
      kind: OrganisationKind.Coordinator,
    });
    apiCoordinator = (await createPerson(portal, coordinating.id, UserRole.Coordinator)).authorization;
    andes = (await createOrganisation(context.dataSource, { name: 'CERT Andes', countryCode: 'UY' })).id;
    const pampa = (await createOrganisation(context.dataSource, { name: 'CERT Pampa', countryCode: 'AR' })).id;
    const http = () => request(portal.getHttpServer());
    await http()
      .put(`/api/v1/directory/${andes}`)
      .set('Authorization', apiCoordinator)
      .send({
        website: 'https://cert-andes.example',
        contacts: [
          contact('duty@andes.example', 'Andes duty desk'),
          contact('night@andes.example', 'Andes night shift'),
        ],
        constituency: { cidrs: ['198.51.100.0/24'], domains: ['andes.example'] },
      })
      .expect(200);
    await http()
      .put(`/api/v1/directory/${pampa}`)
      .set('Authorization', apiCoordinator)
      .send({ contacts: [contact('duty@pampa.example', 'Pampa duty desk')] })
      .expect(200);
    // The network's activity the health page draws.
    await storeReportReceived(context.dataSource, andes, 0, 3);
    await storeReportReceived(context.dataSource, pampa, 1, 2);
    await insertStatement(context.dataSource, { organisationId: andes, value: 'campaign.example', tlp: 'green' });
    await insertStatement(context.dataSource, { organisationId: pampa, value: 'campaign.example', tlp: 'clear' });
    await insertDelivery(context.dataSource, andes, 'delivered', [120]);
    await insertDelivery(context.dataSource, andes, 'dead', [300]);
    // An application, confirmed by its applicant and in review.
    const form = (await http().get('/api/v1/applications/form').expect(200)).body.form_token as string;
    const applied = await http()
      .post('/api/v1/applications')
      .send({
        form_token: form,
        ...applicationBody({
          team_name: 'CSIRT Altiplano',
          country: 'BO',
          mandate: 'Decree 1234/2024',
          website: 'https://csirt-altiplano.example',
          constituency: { cidrs: ['203.0.113.0/24'] },
          contacts: [contact('duty@altiplano.example', 'Altiplano duty desk')],
          applicant_name: 'Rosa Quispe',
          applicant_email: 'rosa@altiplano.example',
        }),
      })
      .expect(202);
    await http()
      .post('/api/v1/applications/verify')
      .send({ token: await tokenMailedTo('rosa@altiplano.example', '/applications/verify') })
      .expect(200);
    await http()
      .post(`/api/v1/applications/${applied.body.id as string}/transitions`)
      .set('Authorization', apiCoordinator)
      .send({ status: 'under_review' })
      .expect(201);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await portal?.close();
    await context?.cleanup();
  });

  it('the coordinator reads network health, browses the directory and its reachability, finds who is responsible, and reviews an application', async () => {
    const coordinating = (await context.dataSource.query(
      `SELECT id FROM organisations WHERE kind = 'coordinator'`,
    )) as {
      id: string;
    }[];
    const person = await createUser(context.dataSource, {
      organisationId: coordinating[0]!.id,
      role: UserRole.Coordinator,
    });
    const page = await newConsolePage(browser);
    await signInAndEnrol(page, baseUrl, person);

    // Network health: the charts draw the test's figures, and the same figures are in each chart's table.
    await page.getByRole('link', { name: 'Network health' }).click();
    await page.getByRole('heading', { name: 'Network health', level: 2 }).waitFor();
    const reportsFigure = page.getByRole('figure', { name: 'Reports per day and organisation' });
    await reportsFigure.getByRole('img', { name: '2 reports from 2 organisations' }).waitFor();
    expect(await reportsFigure.locator('.recharts-bar-rectangle').count()).toBeGreaterThanOrEqual(2);
    const reportsTable = page.getByRole('table', { name: 'Reports per day and organisation' });
    expect(await reportsTable.getByRole('row').filter({ hasText: 'CERT Andes' }).innerText()).toMatch(
      /CERT Andes\s+1\s*$/,
    );
    const indicatorsTable = page.getByRole('table', { name: 'Indicators per day and organisation' });
    expect(await indicatorsTable.getByRole('row').filter({ hasText: 'CERT Andes' }).innerText()).toMatch(
      /CERT Andes\s+3\s*$/,
    );
    await page.getByRole('img', { name: 'Active members per country: AR: 1, UY: 1' }).waitFor();
    await page.getByRole('cell', { name: 'campaign.example' }).waitFor();
    const success = page.getByRole('table', { name: 'Delivery success rate' });
    expect(await success.getByRole('row').filter({ hasText: 'CERT Andes' }).innerText()).toContain('50 %');
    await page.getByRole('table', { name: 'Jobs per queue and state' }).waitFor({ state: 'attached' });
    await recorder.record(page, '20-network-health');

    // The directory: search, start a reachability check, then see who confirmed and who is overdue.
    await page.getByRole('link', { name: 'Directory', exact: true }).click();
    await page.getByRole('heading', { name: '24/7 directory' }).waitFor();
    await page.getByRole('textbox', { name: 'Country' }).fill('AR');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByText('1 members found').waitFor();
    await page.getByRole('link', { name: 'CERT Pampa' }).waitFor();
    await recorder.record(page, '21-directory-search');
    await page.getByRole('button', { name: 'Start a reachability check' }).click();
    await page
      .getByTestId('reachability-check')
      .getByText(/^0 of 3 contacts confirmed/)
      .waitFor();
    await recorder.record(page, '22-reachability-check');
    await request(portal.getHttpServer())
      .post('/api/v1/directory/confirmations')
      .send({ token: await tokenMailedTo('duty@andes.example', '/directory/confirm') })
      .expect(200);
    // The time to answer runs out: whoever did not confirm is flagged.
    await context.dataSource.query(`UPDATE directory_reachability_checks SET respond_by = now() - interval '1 minute'`);
    await context.dataSource.query(
      `UPDATE directory_contact_confirmations SET expires_at = now() - interval '1 minute'`,
    );
    await page.getByRole('textbox', { name: 'Country' }).fill('');
    await page.getByRole('textbox', { name: 'Name' }).fill('Andes');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('row').filter({ hasText: 'CERT Andes' }).getByText('1 overdue').waitFor();
    await recorder.record(page, '22b-directory-overdue');
    await page.getByRole('link', { name: 'CERT Andes' }).click();
    await page.getByRole('heading', { name: 'CERT Andes' }).waitFor();
    await page
      .getByRole('row')
      .filter({ hasText: 'Andes duty desk' })
      .getByText('Confirmed', { exact: true })
      .waitFor();
    await page
      .getByRole('row')
      .filter({ hasText: 'Andes night shift' })
      .getByText('Overdue', { exact: true })
      .waitFor();
    await recorder.record(page, '23-directory-entry');

    // Who is responsible for an address: the directory's constituencies answer.
    await page.getByRole('link', { name: 'Back to the directory' }).click();
    await page.getByRole('link', { name: 'Who is responsible for an IP or domain?' }).click();
    await page.getByLabel('IP address, network, domain or AS').fill('198.51.100.7');
    await page.getByRole('button', { name: 'Look up' }).click();
    await page.getByText('198.51.100.7 falls in 198.51.100.0/24').waitFor();
    await page.getByRole('heading', { name: 'CERT Andes' }).waitFor();
    await recorder.record(page, '24-responsible');

    // An application in review: a question for the applicant, answered; an external endorsement; a comment.
    await page.getByRole('link', { name: 'Applications' }).click();
    await page.getByRole('link', { name: 'CSIRT Altiplano' }).click();
    await page.getByRole('heading', { name: 'CSIRT Altiplano' }).waitFor();
    await page
      .getByTestId('review-clock')
      .getByText(/of 20 working days/)
      .waitFor();
    await page.getByLabel('Question for the applicant').fill('Which decree created the team?');
    await page.getByRole('button', { name: 'Request information' }).click();
    await page.getByTestId('application-status').getByText('Information requested').waitFor();
    await page.getByTestId('information-request').getByText('Awaiting answer').waitFor();
    await request(portal.getHttpServer())
      .post('/api/v1/applications/applicant/answer')
      .send({
        token: await tokenMailedTo('rosa@altiplano.example', '/applications/applicant'),
        answer: 'Decree 1234/2024 of the Ministry',
      })
      .expect(200);
    await page.reload();
    await page.getByTestId('information-request').getByText('Answered').waitFor();
    await page.getByText('Answer: Decree 1234/2024 of the Ministry').waitFor();
    await page.getByLabel('Endorser outside the network').fill('National contact point of Bolivia');
    await page.getByLabel('Endorsement comment').fill('Known to us since 2020');
    await page.getByRole('button', { name: 'Record the endorsement' }).click();
    await page.getByTestId('endorsement').getByText('National contact point of Bolivia').waitFor();
    await page.getByRole('heading', { name: 'Endorsements (1 of 2 needed)' }).waitFor();
    await page.getByLabel('Internal comment').fill('Checked the decree with the ministry');
    await page.getByRole('button', { name: 'Add the comment' }).click();
    await page.getByRole('cell', { name: 'Checked the decree with the ministry' }).waitFor();
    // The decision stays for the journey that approves: its button keeps its name.
    await page.getByRole('button', { name: 'Approve', exact: true }).waitFor();
    await recorder.record(page, '25-application-detail');
    await page.close();
  }, 180_000);

  it('an org-admin edits its directory entry: a refused OpenPGP key says why, an accepted one shows its fingerprint', async () => {
    const admin = await createUser(context.dataSource, { organisationId: andes, role: UserRole.OrgAdmin });
    const page = await newConsolePage(browser);
    await signInAndEnrol(page, baseUrl, admin);
    await page.getByRole('link', { name: 'Directory', exact: true }).click();
    await page.getByRole('link', { name: 'Edit our entry' }).click();
    await page.getByRole('heading', { name: 'Directory entry of CERT Andes' }).waitFor();
    await page.getByLabel('Hours of contact 2').fill('Mon–Fri 20:00–08:00');
    await page.getByLabel('New OpenPGP public key of contact 1').fill(await expiredPublicKey('duty@andes.example'));
    await page.getByRole('button', { name: 'Save the entry' }).click();
    await page.getByRole('alert').filter({ hasText: 'expired' }).waitFor();
    await recorder.record(page, '26-directory-edit-refused');
    const { publicKey } = await testKeyPair('duty@andes.example');
    await page.getByLabel('New OpenPGP public key of contact 1').fill(publicKey);
    await page.getByRole('button', { name: 'Save the entry' }).click();
    await page.getByText('Entry saved.').waitFor();
    const [stored] = (await context.dataSource.query(
      `SELECT pgp_fingerprint AS fingerprint FROM directory_contacts WHERE email = 'duty@andes.example'`,
    )) as { fingerprint: string }[];
    expect(await page.getByTestId('contact-key-1').innerText()).toContain(`Key ${stored!.fingerprint}`);
    const [hours] = (await context.dataSource.query(
      `SELECT hours FROM directory_contacts WHERE email = 'night@andes.example'`,
    )) as { hours: string }[];
    expect(hours!.hours).toBe('Mon–Fri 20:00–08:00');
    await recorder.record(page, '27-directory-edit-saved');
    await page.close();
  }, 120_000);

  it('no page has a serious or critical accessibility violation', () => {
    expect(Object.keys(recorder.checked).length).toBeGreaterThanOrEqual(9);
    expect(recorder.problems()).toEqual({});
  });
});
