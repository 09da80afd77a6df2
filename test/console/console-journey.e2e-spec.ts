import { NestExpressApplication } from '@nestjs/platform-express';
import { OrganisationKind, UserRole, WebhookDeliveryEntity, WebhookDeliveryStatus } from '@vigia/database';
import { Secret, TOTP } from 'otpauth';
import { Browser, Page } from 'playwright-core';
import { createOrganisation } from '../../scripts/lib/organisation.factory';
import { STIX_BUNDLE_EXAMPLE } from '../../apps/ingest/src/reports/dto/openapi-examples';
import { PageRecorder, launchChromium, listening, newConsolePage } from '../support/console-browser';
import { bootIngestApp } from '../support/ingest-app';
import { createUser } from '../support/people';
import { bootPortalApp } from '../support/portal-app';
import { TestContext, createTestContext } from '../support/test-context';
import { bootWorkerApp } from '../support/worker-app';

/**
 * The console in Debian's chromium, against the real portal, ingest and worker on PostgreSQL and Redis: the portal
 * serves the console and forwards its submissions to ingest. Each page of the journey is scanned by axe-core and
 * photographed (test/support/console-browser.ts).
 */
describe('console in a browser: sign-in with TOTP, report by paste, search, false positive', () => {
  let context: TestContext;
  let ingest: NestExpressApplication;
  let worker: NestExpressApplication;
  let portal: NestExpressApplication;
  let browser: Browser;
  let baseUrl: string;
  const recorder = new PageRecorder();
  const checked = recorder.checked;
  /** Screenshot and accessibility scan of the page the journey is on. */
  const record = (page: Page, name: string): Promise<void> => recorder.record(page, name);
  const newPage = (): Promise<Page> => newConsolePage(browser);

  beforeAll(async () => {
    browser = await launchChromium();
    context = await createTestContext();
    ingest = await bootIngestApp(context.config);
    const ingestUrl = await listening(ingest);
    worker = await bootWorkerApp(context.config);
    portal = await bootPortalApp({ ...context.config, ingest: { ...context.config.ingest, url: ingestUrl } });
    baseUrl = (await listening(portal)).replace('127.0.0.1', 'localhost');
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await portal?.close();
    await worker?.close();
    await ingest?.close();
    await context?.cleanup();
  });

  it('a coordinator enrols TOTP at first sign-in, signs in again with a code and sees the applications queue, suspends and reinstates a member', async () => {
    const organisation = await createOrganisation(context.dataSource, { kind: OrganisationKind.Coordinator });
    const coordinator = await createUser(context.dataSource, {
      organisationId: organisation.id,
      role: UserRole.Coordinator,
    });
    const page = await newPage();
    await page.goto(`${baseUrl}/applications`);
    await page.waitForURL('**/sign-in');
    await record(page, '01-sign-in');
    const signIn = async (): Promise<void> => {
      await page.getByLabel('E-mail').fill(coordinator.email);
      await page.locator('input[type=password]').fill(coordinator.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
    };
    await signIn();
    // A coordinator must have a second factor: the console goes straight to enrolment.
    await page.waitForURL('**/enrol');
    await page.getByRole('button', { name: 'Set up an authenticator' }).click();
    const secret = Secret.fromBase32((await page.getByTestId('totp-secret').innerText()).trim());
    await record(page, '02-enrol');
    await page.getByLabel('Code from the authenticator').fill(new TOTP({ secret }).generate());
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByText('Recovery codes, shown once').waitFor();
    expect(await page.getByRole('listitem').count()).toBe(10);
    await page.getByRole('button', { name: 'I have saved them' }).click();
    await page.getByRole('heading', { name: 'Home' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();

    await page.waitForURL('**/sign-in');
    await signIn();
    await page.getByRole('alert').filter({ hasText: 'otp' }).waitFor();
    // The enrolment spent this step's code; the next step's is accepted (one step either side).
    await page.getByLabel('Authenticator code').fill(new TOTP({ secret }).generate({ timestamp: Date.now() + 30_000 }));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Home' }).waitFor();
    await record(page, '03-coordinator-home');
    await page.getByRole('link', { name: 'Applications' }).click();
    await page.getByRole('heading', { name: 'Applications' }).waitFor();
    await page.getByText('No application.').waitFor();
    await record(page, '04-applications');

    // Suspend a member with a reason, then reinstate it.
    const member = await createOrganisation(context.dataSource, { name: 'Member to suspend' });
    await page.getByRole('link', { name: 'Organisations' }).click();
    await page.getByRole('heading', { name: 'Organisations' }).waitFor();
    const row = page.getByRole('row').filter({ hasText: 'Member to suspend' });
    await page.getByLabel('Reason').fill('Key compromise under investigation');
    await row.getByRole('button', { name: 'Suspend' }).click();
    await row.getByText('Suspended', { exact: true }).waitFor();
    await record(page, '04b-organisations');
    await page.getByLabel('Reason').fill('Keys rotated');
    await row.getByRole('button', { name: 'Reinstate' }).click();
    await row.getByText('Active', { exact: true }).waitFor();
    const [stored] = (await context.dataSource.query(`SELECT status FROM organisations WHERE id = $1`, [
      member.id,
    ])) as { status: string }[];
    expect(stored.status).toBe('active');

    await page.getByRole('link', { name: 'Who is responsible' }).click();
    await page.getByRole('heading', { name: 'Who is responsible' }).waitFor();
    await page.getByLabel('IP address, network, domain or AS').fill('203.0.113.9');
    await page.getByRole('button', { name: 'Look up' }).click();
    await page.getByText('No member declares 203.0.113.9').waitFor();
    await record(page, '04c-responsible');
    await page.getByRole('link', { name: 'Mail log' }).click();
    await page.getByRole('heading', { name: 'Mail log' }).waitFor();
    await record(page, '04d-mail-log');
    await page.close();
  }, 60_000);

  it('an analyst submits a report by paste, sees it normalised, finds an indicator, marks it a false positive, uploads STIX', async () => {
    const organisation = await createOrganisation(context.dataSource, { name: 'Console CSIRT' });
    const analyst = await createUser(context.dataSource, { organisationId: organisation.id, role: UserRole.Analyst });
    const page = await newPage();
    await page.goto(`${baseUrl}/`);
    await page.getByLabel('E-mail').fill(analyst.email);
    await page.locator('input[type=password]').fill(analyst.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Home' }).waitFor();
    await page.getByRole('link', { name: 'Submit a report' }).click();
    await page.getByRole('heading', { name: 'Submit a report' }).waitFor();
    await page.getByLabel('Title').fill('Phishing kit seen in the console test');
    await page
      .getByLabel('Indicators, one per line')
      .fill('hxxps://Login-Console[.]example/Verify?id=1\n198.51.100.23:443\nnot a value at all');
    // The preview reads each value as ingest will: refanged, lower-cased host, the port after an address dropped.
    const preview = page.getByTestId('paste-preview');
    await preview.getByText('https://login-console.example/Verify?id=1').waitFor();
    await preview.getByText('198.51.100.23', { exact: true }).waitFor();
    await page.getByTestId('paste-summary').getByText('2 accepted, 1 rejected').waitFor();
    await record(page, '05-submit-paste');
    await page.getByRole('button', { name: 'Submit', exact: true }).click();
    await page.waitForURL(/\/reports\/[0-9a-f-]{36}$/);
    await page.getByTestId('report-status').getByText('Normalised').waitFor({ timeout: 30_000 });
    await record(page, '06-report-normalised');

    await page.getByRole('link', { name: 'Indicators' }).click();
    await page.getByRole('heading', { name: 'Indicators' }).waitFor();
    await page.getByLabel('Search').fill('phishing kit');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: 'https://login-console.example/Verify?id=1' }).waitFor();
    await record(page, '07-search');
    await page.getByRole('link', { name: 'https://login-console.example/Verify?id=1' }).click();
    await page.getByRole('heading', { name: 'https://login-console.example/Verify?id=1' }).waitFor();
    await page.getByRole('button', { name: 'False positive' }).click();
    await page.getByRole('button', { name: 'Marked false positive' }).waitFor();
    await record(page, '08-indicator-false-positive');

    await page.getByRole('link', { name: 'Home' }).click();
    await page.getByRole('heading', { name: 'Reported in the network today' }).waitFor();
    await page.getByRole('link', { name: 'https://login-console.example/Verify?id=1' }).waitFor();
    await record(page, '08b-analyst-home');

    // The same analyst uploads a STIX bundle; the console sends the file to ingest through the portal.
    await page.getByRole('link', { name: 'Submit a report' }).click();
    await page.getByRole('heading', { name: 'Submit a report' }).waitFor();
    await page.getByLabel('Title').fill('STIX bundle uploaded in the console test');
    await page.getByRole('tab', { name: 'Upload a file' }).click();
    await page.locator('input[type=file]').setInputFiles({
      name: 'bundle.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(STIX_BUNDLE_EXAMPLE)),
    });
    await record(page, '09-submit-file');
    await page.getByRole('button', { name: 'Submit', exact: true }).click();
    await page.waitForURL(/\/reports\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { name: 'STIX bundle uploaded in the console test' }).waitFor();
    await page.getByTestId('report-status').getByText('Normalised').waitFor({ timeout: 30_000 });
    expect(await page.getByText('Format: STIX').count()).toBe(1);
    await page.close();
  }, 90_000);

  it('an org-admin enrols TOTP, invites an analyst (one-time link), creates an API key with scopes (secret once) and revokes it, subscribes with a webhook and replays a dead delivery', async () => {
    const organisation = await createOrganisation(context.dataSource, { name: 'Admin CSIRT' });
    const admin = await createUser(context.dataSource, { organisationId: organisation.id, role: UserRole.OrgAdmin });
    const page = await newPage();
    await page.goto(`${baseUrl}/`);
    await page.getByLabel('E-mail').fill(admin.email);
    await page.locator('input[type=password]').fill(admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // Org-admins are privileged: a second factor first.
    await page.waitForURL('**/enrol');
    await page.getByRole('button', { name: 'Set up an authenticator' }).click();
    const secret = Secret.fromBase32((await page.getByTestId('totp-secret').innerText()).trim());
    await page.getByLabel('Code from the authenticator').fill(new TOTP({ secret }).generate());
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('button', { name: 'I have saved them' }).click();
    await page.getByRole('heading', { name: 'Home' }).waitFor();

    await page.getByRole('link', { name: 'People' }).click();
    await page.getByRole('heading', { name: 'People' }).waitFor();
    await page.getByRole('textbox', { name: 'E-mail' }).fill('new.analyst@admin-csirt.example');
    await page.getByRole('textbox', { name: 'Name' }).fill('New Analyst');
    await page.getByRole('combobox', { name: 'Role' }).selectOption('analyst');
    await page.getByRole('button', { name: 'Invite' }).click();
    const link = (await page.getByTestId('invitation-link').innerText()).trim();
    expect(link).toMatch(new RegExp(`^${baseUrl}/invitations/accept\\?token=.+`));
    const row = page.getByRole('row').filter({ hasText: 'new.analyst@admin-csirt.example' });
    await row.getByText('Invited', { exact: true }).waitFor();
    await record(page, '11-people-invited');
    // The link is the invitation's own: the portal's page accepts it and the analyst can sign in.
    const token = new URL(link).searchParams.get('token') ?? '';
    const accepted = await fetch(`${baseUrl}/api/v1/invitations/accept`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token, password: 'a long enough password 1' }),
    });
    expect(accepted.status).toBeLessThan(300);
    // The admin makes the new person an org-admin, then disables them.
    await row.getByRole('combobox', { name: 'Role of New Analyst' }).selectOption('org-admin');
    await row.getByText('Active', { exact: true }).waitFor();
    await row.getByRole('button', { name: 'Disable' }).click();
    await row.getByText('Disabled', { exact: true }).waitFor();
    const [changed] = (await context.dataSource.query(
      `SELECT role, disabled_at IS NOT NULL AS disabled FROM users WHERE email = $1`,
      ['new.analyst@admin-csirt.example'],
    )) as { role: string; disabled: boolean }[];
    expect(changed).toEqual({ role: 'org-admin', disabled: true });

    await page.getByRole('link', { name: 'API keys' }).click();
    await page.getByRole('heading', { name: 'API keys' }).waitFor();
    await page.getByRole('textbox', { name: 'Name' }).fill('SIEM forwarder');
    await page.getByRole('button', { name: 'Create key' }).click();
    await page.getByText('Choose at least one scope').waitFor();
    await page.getByRole('checkbox', { name: 'reports:write' }).check();
    await page.getByRole('checkbox', { name: 'indicators:read' }).check();
    await page.getByRole('button', { name: 'Create key' }).click();
    const apiKey = (await page.getByTestId('api-key-secret').innerText()).trim();
    const keyRow = page.getByRole('row').filter({ hasText: 'SIEM forwarder' });
    await keyRow.getByText('reports:write, indicators:read').waitFor();
    await record(page, '12-api-key-created');
    const withKey = () => fetch(`${baseUrl}/api/v1/indicators?limit=1`, { headers: { 'X-Api-Key': apiKey } });
    expect((await withKey()).status).toBe(200);
    await keyRow.getByRole('button', { name: 'Revoke' }).click();
    await keyRow.getByText('Revoked', { exact: true }).waitFor();
    expect((await withKey()).status).toBe(401);

    // A subscription with filters and a webhook: the signing secret once, then its delivery log (the API has no
    // test delivery, so a dead delivery is recorded here and sent again from the log).
    await page.getByRole('link', { name: 'Subscriptions' }).click();
    await page.getByRole('heading', { name: 'Subscriptions' }).waitFor();
    await page.getByText('No subscription yet.').waitFor();
    await page.getByRole('textbox', { name: 'Name' }).fill('Phishing against us');
    await page.getByRole('combobox', { name: 'Indicator types' }).click();
    await page.getByRole('option', { name: 'url', exact: true }).click();
    await page.keyboard.press('Escape');
    await page.getByRole('combobox', { name: 'Minimum severity' }).click();
    await page.getByRole('option', { name: 'High' }).click();
    await page.getByRole('textbox', { name: 'Webhook URL' }).fill('https://93.184.216.34:8443/vigia/hooks');
    await page.getByRole('button', { name: 'Subscribe' }).click();
    expect((await page.getByTestId('webhook-secret').innerText()).trim()).toMatch(/^whsec_/);
    const subscriptionRow = page.getByRole('row').filter({ hasText: 'Phishing against us' });
    await subscriptionRow.getByText('url, ≥ high').waitFor();
    await subscriptionRow.getByText('webhook: https://93.184.216.34:8443/vigia/hooks').waitFor();
    await record(page, '13-subscription-created');
    const [endpoint] = (await context.dataSource.query(
      `SELECT e.id, e.subscription_id FROM webhook_endpoints e JOIN subscriptions s ON s.id = e.subscription_id
        WHERE s.organisation_id = $1`,
      [organisation.id],
    )) as { id: string; subscription_id: string }[];
    await context.dataSource.getRepository(WebhookDeliveryEntity).save({
      endpointId: endpoint.id,
      subscriptionId: endpoint.subscription_id,
      organisationId: organisation.id,
      warningId: 'wrn_console-journey',
      eventType: 'indicator.warning',
      payload: {},
      status: WebhookDeliveryStatus.Dead,
      attempts: 8,
      lastError: 'receiver answered 503',
      deadAt: new Date(),
    });
    await subscriptionRow.getByRole('button', { name: 'Delivery log' }).click();
    const deliveryRow = page.getByRole('row').filter({ hasText: 'wrn_console-journey' });
    await deliveryRow.getByText('Dead', { exact: true }).waitFor();
    await deliveryRow.getByText('receiver answered 503').waitFor();
    await record(page, '14-delivery-log');
    await deliveryRow.getByRole('button', { name: 'Send again' }).click();
    await deliveryRow.getByText(/^(Pending|Failed|Delivered)$/).waitFor();

    // What the admin did is in the organisation's audit log; a prefix of actions narrows it.
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    await page.getByRole('cell', { name: 'subscription.created' }).waitFor();
    await page.getByLabel('Action').fill('api_key.');
    await page.getByRole('cell', { name: 'subscription.created' }).waitFor({ state: 'detached' });
    await page.getByRole('cell', { name: 'api_key.revoked' }).waitFor();
    await record(page, '15-audit-log');
    await page.close();
  }, 60_000);

  it('speaks the browser’s language (Spanish) and switches to another (French) on request', async () => {
    const page = await newConsolePage(browser, 'es-ES');
    await page.goto(`${baseUrl}/`);
    await page.getByRole('heading', { name: 'Iniciar sesión' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('es');
    await record(page, '10-sign-in-es');
    await page.getByLabel('Idioma').selectOption('fr');
    await page.getByRole('heading', { name: 'Connexion' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    await page.close();
  }, 60_000);

  it('no page of the journeys has a serious or critical accessibility violation', () => {
    expect(Object.keys(checked).length).toBeGreaterThanOrEqual(19);
    expect(Object.fromEntries(Object.entries(checked).filter(([, problems]) => problems.length > 0))).toEqual({});
  });
});
