import { join } from 'node:path';
import { AddressInfo } from 'node:net';
import { NestExpressApplication } from '@nestjs/platform-express';
import { OrganisationRepository, UserRole, WebhookDeliveryEntity, WebhookDeliveryStatus } from '@vigia/database';
import { Secret, TOTP } from 'otpauth';
import { Browser, Page } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { createOrganisation } from '../../scripts/lib/organisation.factory';
import { waitFor } from '../../scripts/lib/wait-for';
import { freePort } from '../../scripts/lib/free-port';
import { LINK_PAGE_TEXTS } from '../../apps/portal/src/link-pages/link-page-texts';
import { STIX_BUNDLE_EXAMPLE } from '../../apps/ingest/src/reports/dto/openapi-examples';
import en from '../../apps/console/src/i18n/locales/en.json';
import es from '../../apps/console/src/i18n/locales/es.json';
import { SCREENSHOTS, accessibilityProblems, launchChromium } from '../support/console-browser';
import { bootIngestApp } from '../support/ingest-app';
import { createUser } from '../support/people';
import { bootPortalApp } from '../support/portal-app';
import { TestSmtpServer } from '../support/smtp-server';
import { TestContext, createTestContext } from '../support/test-context';
import { WebhookReceiver } from '../support/webhook-receiver';
import { bootWorkerApp } from '../support/worker-app';

/**
 * The console in Debian's chromium (scripts/test.sh installs it; `npm test` builds the console first), against the
 * real portal, ingest and worker on PostgreSQL, Redis, an SMTP server and a webhook receiver: the portal serves the
 * console and forwards its submissions to ingest. The whole journey of a new member (application approved by the
 * coordinator, its first org-admin invited by mail, an analyst invited by the admin, reports, subscriptions with a
 * test delivery) runs once per language. Each page is scanned by axe-core and photographed into
 * .data/screenshots/console as `<language>-<step>.png`.
 */
const PASSWORD = 'a long enough password 1';

type Messages = { [key: string]: string | Messages };

/** The console's text for `key` in one language, as i18next shows it (`{{name}}` filled in). */
const translator =
  (messages: Messages) =>
  (key: string, values: Record<string, string | number> = {}): string => {
    const found = key
      .split('.')
      .reduce<string | Messages | undefined>(
        (node, part) => (typeof node === 'object' ? node[part] : undefined),
        messages,
      );
    if (typeof found !== 'string') throw new Error(`the console has no text ${key}`);
    return found.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(values[name] ?? ''));
  };

/** A language of the journey: the browser's locale, and a few headings spelt out so a missing translation fails. */
interface JourneyLanguage {
  code: 'en' | 'es';
  locale: string;
  messages: Messages;
  headings: { home: string; submit: string; subscriptions: string; invitation: string };
}

const ENGLISH: JourneyLanguage = {
  code: 'en',
  locale: 'en-GB',
  messages: en,
  headings: {
    home: 'Home',
    submit: 'Submit a report',
    subscriptions: 'Subscriptions',
    invitation: 'Set your password',
  },
};
const SPANISH: JourneyLanguage = {
  code: 'es',
  locale: 'es-ES',
  messages: es,
  headings: {
    home: 'Inicio',
    submit: 'Enviar un informe',
    subscriptions: 'Suscripciones',
    invitation: 'Elija su contraseña',
  },
};

describe('console in a browser: a new member’s journey from application to early warnings, in English and Spanish', () => {
  let smtp: TestSmtpServer;
  let receiver: WebhookReceiver;
  let context: TestContext;
  let ingest: NestExpressApplication;
  let worker: NestExpressApplication;
  let portal: NestExpressApplication;
  let browser: Browser;
  let baseUrl: string;
  let coordinatingOrganisationId: string;
  const checked: Record<string, string[]> = {};
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    [smtp, receiver] = await Promise.all([TestSmtpServer.start(), WebhookReceiver.start()]);
    const port = await freePort();
    // Browsers keep the session's Secure cookies over plain HTTP only for localhost.
    baseUrl = `http://localhost:${port}`;
    context = await createTestContext({
      SMTP_URL: smtp.url,
      PUBLIC_URL: baseUrl,
      APPLICATION_MIN_FILL_SECONDS: '0',
      APPLICATION_ENDORSEMENTS_REQUIRED: '1',
      WEBHOOK_ALLOW_HTTP: 'true',
      WEBHOOK_ALLOWED_CIDRS: '127.0.0.1/32',
    });
    ingest = await bootIngestApp(context.config);
    await ingest.listen(0, '127.0.0.1');
    const ingestUrl = `http://127.0.0.1:${(ingest.getHttpServer().address() as AddressInfo).port}`;
    worker = await bootWorkerApp(context.config);
    portal = await bootPortalApp({ ...context.config, ingest: { ...context.config.ingest, url: ingestUrl } });
    await portal.listen(port, '127.0.0.1');
    coordinatingOrganisationId = (
      await portal.get(OrganisationRepository).findOrCreateCoordinator('Network coordination', 'coord')
    ).id;
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    process.stdout.write(`console journeys (ms): ${JSON.stringify(timings)}\n`);
    await browser?.close();
    await portal?.close();
    await worker?.close();
    await ingest?.close();
    await context?.cleanup();
    await receiver?.close();
    await smtp?.close();
  });

  /** An API call to the portal, as a person with an access token or as nobody (''), for steps without a console page. */
  const api = async (authorization: string, method: string, path: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { ...(authorization ? { authorization } : {}), 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const answer = (await response.json()) as unknown;
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${JSON.stringify(answer)}`);
    return answer;
  };

  /** A team applies through the public form in `language` and confirms its address with the mailed link. */
  const applyAndConfirm = async (language: JourneyLanguage, team: string, applicantEmail: string): Promise<string> => {
    const { form_token } = (await (await fetch(`${baseUrl}/api/v1/applications/form`)).json()) as {
      form_token: string;
    };
    const tag = language.code;
    const { id } = (await api('', 'POST', '/api/v1/applications', {
      form_token,
      team_name: team,
      kind: 'national-csirt',
      country: language.code === 'es' ? 'PY' : 'JM',
      sector: 'government',
      mandate: 'Decree 2345/2019 creates the national CSIRT',
      website: `https://www.${tag}-cert.example`,
      constituency: { cidrs: [language.code === 'es' ? '192.0.2.0/25' : '192.0.2.128/25'], asns: [], domains: [] },
      contacts: [
        {
          name: 'Duty desk',
          role: 'Incident handler on duty',
          email: `duty@${tag}-cert.example`,
          phone: '+595 21 123-4567',
          time_zone: 'America/Asuncion',
          languages: [tag],
          hours: '24/7',
        },
      ],
      applicant_name: 'Ana Pérez',
      applicant_email: applicantEmail,
      preferred_language: language.code,
    })) as { id: string };
    const verification = await smtp.waitForMail({ to: applicantEmail });
    const token = /\/applications\/verify\?token=([A-Za-z0-9_-]+)/.exec(verification.text)?.[1];
    if (!token) throw new Error(`no verification link in: ${verification.text}`);
    await api('', 'POST', '/api/v1/applications/verify', { token });
    return id;
  };

  /** One language's journey: every page it shows is photographed and scanned as `<language>-<step>`. */
  async function journey(language: JourneyLanguage): Promise<void> {
    const t = translator(language.messages);
    const links = LINK_PAGE_TEXTS[language.code];
    const lang = language.code;
    const started = Date.now();
    const record = async (page: Page, step: string): Promise<void> => {
      const name = `${lang}-${step}`;
      await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
      checked[name] = await accessibilityProblems(page);
    };
    /** A page of its own browser context (its own cookies, the language's locale); its errors are reported. */
    const newPage = async (): Promise<Page> => {
      const page = await (await browser.newContext({ locale: language.locale })).newPage();
      page.on('pageerror', (error) => process.stderr.write(`console page error: ${error.message}\n`));
      page.on('response', (r) => r.status() >= 500 && process.stderr.write(`RESP ${r.status()} ${r.url()}\n`));
      return page;
    };
    const signIn = async (page: Page, email: string, password: string): Promise<void> => {
      await page.getByLabel(t('signIn.email')).fill(email);
      await page.locator('input[type=password]').fill(password);
      await page.getByRole('button', { name: t('signIn.submit') }).click();
    };
    /** First sign-in of a privileged person: a TOTP authenticator, the recovery codes shown once, then home. */
    const enrol = async (page: Page, step?: string): Promise<Secret> => {
      await page.waitForURL('**/enrol');
      await page.getByRole('button', { name: t('enrol.start') }).click();
      const secret = Secret.fromBase32((await page.getByTestId('totp-secret').innerText()).trim());
      await page.getByLabel(t('enrol.code')).fill(new TOTP({ secret }).generate());
      await page.getByRole('button', { name: t('enrol.confirm') }).click();
      await page.getByText(t('enrol.recoveryTitle')).waitFor();
      expect(await page.getByRole('listitem').count()).toBe(10);
      if (step) await record(page, step);
      await page.getByRole('button', { name: t('enrol.done') }).click();
      await page.getByRole('heading', { name: language.headings.home }).waitFor();
      return secret;
    };
    /** The portal's invitation page (the link of a mail or of the console): a password, set with its button. */
    const acceptInvitation = async (page: Page, link: string, step: string): Promise<void> => {
      await page.goto(link);
      await page.getByRole('heading', { name: language.headings.invitation }).waitFor();
      expect(await page.getAttribute('html', 'lang')).toBe(lang);
      await page.locator('input[name=password]').fill(PASSWORD);
      await page.getByLabel(links.invitation.again).fill(PASSWORD);
      await record(page, step);
      await page.getByRole('button', { name: links.invitation.button }).click();
      await page.getByText(links.invitation.success).waitFor();
    };
    const go = async (page: Page, navKey: string, heading: string): Promise<void> => {
      await page.getByRole('link', { name: t(navKey) }).click();
      await page.getByRole('heading', { name: heading }).waitFor();
    };

    // 1. A team applies through the public form and confirms its address.
    const team = lang === 'es' ? 'CSIRT Ñandú' : 'CERT Blue Mountains';
    const adminEmail = `admin@${lang}-cert.example`;
    await applyAndConfirm(language, team, adminEmail);

    // 2. The coordinator enrols a second factor at first sign-in, signs in again with a code, starts the review,
    //    records the national contact point's endorsement (APPLICATION_ENDORSEMENTS_REQUIRED is 1 here) and
    //    approves it.
    const coordinator = await createUser(context.dataSource, {
      organisationId: coordinatingOrganisationId,
      role: UserRole.Coordinator,
    });
    const coordinatorPage = await newPage();
    await coordinatorPage.goto(`${baseUrl}/applications`);
    await coordinatorPage.waitForURL('**/sign-in');
    await coordinatorPage.getByRole('heading', { name: t('signIn.title') }).waitFor();
    expect(await coordinatorPage.getAttribute('html', 'lang')).toBe(lang);
    await record(coordinatorPage, '01-sign-in');
    await signIn(coordinatorPage, coordinator.email, coordinator.password);
    const secret = await enrol(coordinatorPage, '02-enrol-recovery-codes');
    await coordinatorPage.getByRole('button', { name: t('layout.signOut') }).click();
    await coordinatorPage.waitForURL('**/sign-in');
    await signIn(coordinatorPage, coordinator.email, coordinator.password);
    await coordinatorPage.getByRole('alert').filter({ hasText: 'otp' }).waitFor();
    // The enrolment spent this step's code; the next step's is accepted (one step either side).
    await coordinatorPage
      .getByLabel(t('signIn.otp'))
      .fill(new TOTP({ secret }).generate({ timestamp: Date.now() + 30_000 }));
    await coordinatorPage.getByRole('button', { name: t('signIn.submit') }).click();
    await coordinatorPage.getByRole('heading', { name: language.headings.home }).waitFor();
    await record(coordinatorPage, '03-coordinator-home');
    await go(coordinatorPage, 'nav.applications', t('applications.title'));
    const applicationRow = coordinatorPage.getByRole('row').filter({ hasText: team });
    await applicationRow.getByText(t('applications.statuses.submitted'), { exact: true }).waitFor();
    await record(coordinatorPage, '04-applications');
    await applicationRow.getByRole('link', { name: team }).click();
    await coordinatorPage.getByRole('heading', { name: team }).waitFor();
    await record(coordinatorPage, '04a-application-submitted');
    await coordinatorPage.getByRole('button', { name: t('applicationDetail.startReview') }).click();
    // Once under review, the endorsement fields appear and the button to start is gone.
    await coordinatorPage
      .getByRole('textbox', { name: t('applicationDetail.endorser') })
      .fill('National contact point');
    expect(await coordinatorPage.getByRole('button', { name: t('applicationDetail.startReview') }).count()).toBe(0);
    await coordinatorPage
      .getByRole('textbox', { name: t('applicationDetail.endorsementComment') })
      .fill('Known to the ministry since 2019');
    await record(coordinatorPage, '04b-application-under-review');
    await coordinatorPage.getByRole('button', { name: t('applicationDetail.recordEndorsement') }).click();
    await coordinatorPage
      .getByTestId('endorsement')
      .filter({ hasText: 'National contact point' })
      .filter({ hasText: 'Known to the ministry since 2019' })
      .waitFor();
    await coordinatorPage
      .getByRole('heading', { name: t('applicationDetail.endorsements', { count: 1, required: 1 }) })
      .waitFor();
    await record(coordinatorPage, '04c-application-endorsed');
    await coordinatorPage.getByRole('link', { name: t('applicationDetail.back') }).click();
    await applicationRow.getByText(t('applications.statuses.under_review'), { exact: true }).waitFor();
    await applicationRow.getByRole('button', { name: t('applications.approve') }).click();
    await applicationRow.getByText(t('applications.statuses.approved'), { exact: true }).waitFor();

    // The coordinator suspends a member with a reason, reinstates it, looks up who answers for an address and
    // reads the mail log (the approval's invitation mail is in it).
    const memberName = `Member to suspend (${lang})`;
    const member = await createOrganisation(context.dataSource, { name: memberName });
    await go(coordinatorPage, 'nav.organisations', t('organisations.title'));
    const memberRow = coordinatorPage.getByRole('row').filter({ hasText: memberName });
    await coordinatorPage.getByLabel(t('organisations.reason')).fill('Key compromise under investigation');
    await memberRow.getByRole('button', { name: t('organisations.suspend') }).click();
    await memberRow.getByText(t('organisations.statuses.suspended'), { exact: true }).waitFor();
    await record(coordinatorPage, '05-organisations');
    await coordinatorPage.getByLabel(t('organisations.reason')).fill('Keys rotated');
    await memberRow.getByRole('button', { name: t('organisations.reinstate') }).click();
    await memberRow.getByText(t('organisations.statuses.active'), { exact: true }).waitFor();
    const [stored] = (await context.dataSource.query(`SELECT status FROM organisations WHERE id = $1`, [
      member.id,
    ])) as { status: string }[];
    expect(stored.status).toBe('active');
    await go(coordinatorPage, 'nav.responsible', t('responsible.title'));
    await coordinatorPage.getByLabel(t('responsible.value')).fill('203.0.113.9');
    await coordinatorPage.getByRole('button', { name: t('responsible.submit') }).click();
    await coordinatorPage.getByText(t('responsible.nobody', { value: '203.0.113.9' })).waitFor();
    await record(coordinatorPage, '06-responsible');
    await go(coordinatorPage, 'nav.mailLog', t('mailLog.title'));
    await coordinatorPage.getByRole('cell', { name: adminEmail }).first().waitFor();
    await record(coordinatorPage, '07-mail-log');
    await coordinatorPage.context().close();

    // 3. The approval mailed the applicant, in their language, the one-time invitation of the first org-admin.
    const approval = await waitFor('the approval mail with the invitation link', async () =>
      smtp.mailsTo({ to: adminEmail }).find((mail) => mail.text.includes('/invitations/accept?token=')),
    );
    const mailedLink = new RegExp(`${baseUrl}/invitations/accept\\?token=[A-Za-z0-9_-]+`).exec(approval.text)?.[0];
    expect(mailedLink).toBeDefined();
    const adminPage = await newPage();
    await acceptInvitation(adminPage, mailedLink!, '08-invitation-admin');
    await adminPage.goto(`${baseUrl}/`);
    await signIn(adminPage, adminEmail, PASSWORD);
    await enrol(adminPage, '09-admin-recovery-codes');
    const [organisation] = (await context.dataSource.query(
      `SELECT o.id FROM organisations o JOIN users u ON u.organisation_id = o.id WHERE u.email = $1`,
      [adminEmail],
    )) as { id: string }[];

    // The org-admin invites an analyst (the link, shown once, is passed on) and a colleague who then leaves.
    await go(adminPage, 'nav.people', t('people.title'));
    const invite = async (email: string, name: string): Promise<string> => {
      await adminPage.getByRole('textbox', { name: t('people.email') }).fill(email);
      await adminPage.getByRole('textbox', { name: t('people.name') }).fill(name);
      await adminPage.getByRole('combobox', { name: t('people.role'), exact: true }).selectOption('analyst');
      await adminPage.getByRole('button', { name: t('people.invite') }).click();
      await adminPage.getByRole('row').filter({ hasText: email }).waitFor();
      return (await adminPage.getByTestId('invitation-link').innerText()).trim();
    };
    const leaving = `leaving@${lang}-cert.example`;
    await invite(leaving, 'Leaving Colleague');
    const analystEmail = `analyst@${lang}-cert.example`;
    const analystLink = await invite(analystEmail, 'New Analyst');
    expect(analystLink).toMatch(new RegExp(`^${baseUrl}/invitations/accept\\?token=.+`));
    const analystRow = adminPage.getByRole('row').filter({ hasText: analystEmail });
    await analystRow.getByText(t('people.statuses.invited'), { exact: true }).waitFor();
    await record(adminPage, '10-people-invited');
    const leavingRow = adminPage.getByRole('row').filter({ hasText: leaving });
    await leavingRow
      .getByRole('combobox', { name: t('people.roleOf', { name: 'Leaving Colleague' }) })
      .selectOption('org-admin');
    await leavingRow.getByRole('cell', { name: t('roles.org-admin'), exact: true }).waitFor();
    await leavingRow.getByRole('button', { name: t('people.disable') }).click();
    await leavingRow.getByText(t('people.statuses.disabled'), { exact: true }).waitFor();
    const [changed] = (await context.dataSource.query(
      `SELECT role, disabled_at IS NOT NULL AS disabled FROM users WHERE email = $1`,
      [leaving],
    )) as { role: string; disabled: boolean }[];
    expect(changed).toEqual({ role: 'org-admin', disabled: true });

    // An API key with scopes, its secret shown once; it works until revoked.
    await go(adminPage, 'nav.apiKeys', t('apiKeys.title'));
    await adminPage.getByRole('textbox', { name: t('apiKeys.name') }).fill('SIEM forwarder');
    await adminPage.getByRole('button', { name: t('apiKeys.create') }).click();
    await adminPage.getByText(t('apiKeys.scopesRequired')).waitFor();
    await adminPage.getByRole('checkbox', { name: 'reports:write' }).check();
    await adminPage.getByRole('checkbox', { name: 'indicators:read' }).check();
    await adminPage.getByRole('button', { name: t('apiKeys.create') }).click();
    const apiKey = (await adminPage.getByTestId('api-key-secret').innerText()).trim();
    const keyRow = adminPage.getByRole('row').filter({ hasText: 'SIEM forwarder' });
    await keyRow.getByText('reports:write, indicators:read').waitFor();
    await record(adminPage, '11-api-key-created');
    const withKey = () => fetch(`${baseUrl}/api/v1/indicators?limit=1`, { headers: { 'X-Api-Key': apiKey } });
    expect((await withKey()).status).toBe(200);
    await keyRow.getByRole('button', { name: t('apiKeys.revoke') }).click();
    await keyRow.getByText(t('apiKeys.states.revoked'), { exact: true }).waitFor();
    expect((await withKey()).status).toBe(401);

    // 4. A subscription with filters, a webhook to a real receiver (secret shown once), an e-mail address and the
    //    live stream; then edited; then a signed test delivery reaches the receiver and the delivery log.
    await go(adminPage, 'nav.subscriptions', language.headings.subscriptions);
    await adminPage.getByText(t('subscriptions.none')).waitFor();
    const hookPath = `/hooks/${lang}`;
    const hookUrl = receiver.url(hookPath);
    await adminPage.getByRole('textbox', { name: t('subscriptions.name') }).fill('Phishing against us');
    await adminPage.getByRole('button', { name: t('subscriptions.create') }).click();
    await adminPage.getByText(t('subscriptionForm.oneChannel')).waitFor();
    await adminPage.getByRole('combobox', { name: t('subscriptions.types') }).click();
    await adminPage.getByRole('option', { name: 'url', exact: true }).click();
    await adminPage.keyboard.press('Escape');
    await adminPage.getByRole('combobox', { name: t('subscriptions.minSeverity') }).click();
    await adminPage.getByRole('option', { name: t('severity.high') }).click();
    await adminPage.getByRole('textbox', { name: t('subscriptions.webhook') }).fill(hookUrl);
    await adminPage.getByRole('button', { name: t('subscriptionForm.addEmail') }).click();
    await adminPage.getByRole('textbox', { name: t('subscriptionForm.emailAddress') }).fill(`soc@${lang}-cert.example`);
    await adminPage.getByRole('combobox', { name: t('subscriptionForm.emailLanguage') }).selectOption(lang);
    await adminPage.getByRole('checkbox', { name: t('subscriptionForm.stream') }).check();
    await record(adminPage, '12-subscription-form');
    await adminPage.getByRole('button', { name: t('subscriptions.create') }).click();
    const webhookSecret = (await adminPage.getByTestId('webhook-secret').innerText()).trim();
    expect(webhookSecret).toMatch(/^whsec_/);
    const subscriptionRow = adminPage.getByRole('row').filter({ hasText: 'Phishing against us' });
    await subscriptionRow
      .getByText(`url, ${t('subscriptions.severityAtLeast', { severity: t('severity.high') })}`)
      .waitFor();
    await subscriptionRow.getByText(`webhook: ${hookUrl}`).waitFor();
    await subscriptionRow.getByText('stream', { exact: true }).waitFor();
    await record(adminPage, '13-subscription-created');

    await subscriptionRow.getByRole('button', { name: t('subscriptionForm.edit') }).click();
    await adminPage
      .getByRole('heading', { name: t('subscriptionForm.editTitle', { name: 'Phishing against us' }) })
      .waitFor();
    await adminPage.getByRole('combobox', { name: t('subscriptions.minSeverity') }).click();
    await adminPage.getByRole('option', { name: t('severity.medium') }).click();
    await adminPage.getByRole('combobox', { name: t('subscriptionForm.emailMode'), exact: true }).selectOption('daily');
    await record(adminPage, '14-subscription-edit');
    await adminPage.getByRole('button', { name: t('subscriptionForm.save') }).click();
    await subscriptionRow
      .getByText(`url, ${t('subscriptions.severityAtLeast', { severity: t('severity.medium') })}`)
      .waitFor();
    await subscriptionRow.getByText(`email: soc@${lang}-cert.example (${t('subscriptionForm.modes.daily')})`).waitFor();
    // The webhook was kept (same URL): no new secret is shown, the receiver's secret still signs.
    expect(await adminPage.getByTestId('webhook-secret').count()).toBe(0);

    // A dead delivery from earlier (the receiver was down), to send again from the log.
    const [endpoint] = (await context.dataSource.query(
      `SELECT e.id, e.subscription_id FROM webhook_endpoints e WHERE e.organisation_id = $1`,
      [organisation.id],
    )) as { id: string; subscription_id: string }[];
    const deadWarning = `wrn_console-journey-${lang}`;
    await context.dataSource.getRepository(WebhookDeliveryEntity).save({
      endpointId: endpoint.id,
      subscriptionId: endpoint.subscription_id,
      organisationId: organisation.id,
      warningId: deadWarning,
      eventType: 'indicator.warning',
      payload: {},
      status: WebhookDeliveryStatus.Dead,
      attempts: 8,
      lastError: 'receiver answered 503',
      deadAt: new Date(),
    });
    await subscriptionRow.getByRole('button', { name: t('subscriptions.showDeliveries') }).click();
    const deadRow = adminPage.getByRole('row').filter({ hasText: deadWarning });
    await deadRow.getByText(t('subscriptions.statuses.dead'), { exact: true }).waitFor();
    await adminPage.getByRole('button', { name: t('subscriptionForm.sendTestTo', { url: hookUrl }) }).click();
    const testRow = adminPage.getByRole('row').filter({ hasText: t('subscriptionForm.testBadge') });
    await testRow.getByText(t('subscriptions.statuses.delivered'), { exact: true }).waitFor({ timeout: 15_000 });
    const [testDelivery] = receiver.requestsTo(hookPath);
    const event = new Webhook(webhookSecret).verify(testDelivery.body, testDelivery.headers as Record<string, string>);
    expect(event).toMatchObject({ type: 'webhook.test', test: true, subscription_ids: [endpoint.subscription_id] });
    await testRow.getByText((event as { id: string }).id).waitFor();
    await record(adminPage, '15-delivery-log-test');
    await deadRow.getByRole('button', { name: t('subscriptions.replay') }).click();
    await deadRow.getByText(t('subscriptions.statuses.delivered'), { exact: true }).waitFor({ timeout: 15_000 });
    expect(receiver.requestsTo(hookPath)).toHaveLength(2);

    // What the admin did is in the organisation's audit log; a prefix of actions narrows it.
    await go(adminPage, 'nav.audit', t('audit.title'));
    await adminPage.getByRole('cell', { name: 'webhook.test_sent' }).waitFor();
    await adminPage.getByLabel(t('audit.action')).fill('api_key.');
    await adminPage.getByRole('cell', { name: 'subscription.created' }).waitFor({ state: 'detached' });
    await adminPage.getByRole('cell', { name: 'api_key.revoked' }).waitFor();
    await record(adminPage, '16-audit-log');
    await adminPage.context().close();

    // 5. The analyst accepts the invitation the admin passed on, signs in (no second factor for analysts), submits
    //    a report by paste, sees it normalised, finds an indicator and marks it a false positive.
    const analystPage = await newPage();
    await acceptInvitation(analystPage, analystLink, '17-invitation-analyst');
    await analystPage.goto(`${baseUrl}/`);
    await signIn(analystPage, analystEmail, PASSWORD);
    await analystPage.getByRole('heading', { name: language.headings.home }).waitFor();
    await go(analystPage, 'nav.submit', language.headings.submit);
    const title = `Phishing kit seen in the console test (${lang})`;
    const host = `login-console-${lang}.example`;
    await analystPage.getByLabel(t('report.title')).fill(title);
    await analystPage
      .getByLabel(t('submit.pasteLabel'))
      .fill(`hxxps://Login-Console-${lang}[.]example/Verify?id=1\n198.51.100.23:443\nnot a value at all`);
    // The preview reads each value as ingest will: refanged, lower-cased host, the port after an address dropped.
    const preview = analystPage.getByTestId('paste-preview');
    const url = `https://${host}/Verify?id=1`;
    await preview.getByText(url).waitFor();
    await preview.getByText('198.51.100.23', { exact: true }).waitFor();
    await analystPage
      .getByTestId('paste-summary')
      .getByText(t('submit.readSummary', { accepted: 2, rejected: 1 }))
      .waitFor();
    await record(analystPage, '18-submit-paste');
    await analystPage.getByRole('button', { name: t('submit.submit'), exact: true }).click();
    await analystPage.waitForURL(/\/reports\/[0-9a-f-]{36}$/);
    await analystPage.getByTestId('report-status').getByText(t('reportStatus.normalised')).waitFor({ timeout: 30_000 });
    await record(analystPage, '19-report-normalised');

    await go(analystPage, 'nav.search', t('search.title'));
    await analystPage.getByLabel(t('search.query')).fill('phishing kit');
    await analystPage.getByRole('button', { name: t('search.submit') }).click();
    await analystPage.getByRole('link', { name: url }).waitFor();
    await record(analystPage, '20-search');
    await analystPage.getByRole('link', { name: url }).click();
    await analystPage.getByRole('heading', { name: url }).waitFor();
    await analystPage.getByRole('button', { name: t('indicator.falsePositive') }).click();
    await analystPage.getByRole('button', { name: t('indicator.markedFalsePositive') }).waitFor();
    await record(analystPage, '21-indicator-false-positive');
    await analystPage.getByRole('link', { name: t('nav.home') }).click();
    await analystPage.getByRole('heading', { name: t('home.today') }).waitFor();
    await analystPage.getByRole('link', { name: url }).waitFor();
    await record(analystPage, '22-analyst-home');

    // A STIX bundle uploaded as a file, with its upload's progress bar (the request is held back a moment so the
    // bar is on screen), normalised too.
    await go(analystPage, 'nav.submit', language.headings.submit);
    const stixTitle = `STIX bundle uploaded in the console test (${lang})`;
    await analystPage.getByLabel(t('report.title')).fill(stixTitle);
    await analystPage.getByRole('tab', { name: t('submit.file') }).click();
    await analystPage.locator('input[type=file]').setInputFiles({
      name: 'bundle.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(STIX_BUNDLE_EXAMPLE)),
    });
    // The upload is slowed down (DevTools' network emulation) so the bar is seen moving.
    const devtools = await analystPage.context().newCDPSession(analystPage);
    const uploadAt = (bytesPerSecond: number) =>
      devtools.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: 0,
        downloadThroughput: -1,
        uploadThroughput: bytesPerSecond,
      });
    await devtools.send('Network.enable');
    await uploadAt(1024);
    await analystPage.getByRole('button', { name: t('submit.submit'), exact: true }).click();
    const bar = analystPage.getByRole('progressbar', { name: t('submit.uploading') });
    await waitFor('upload progress', async () => Number(await bar.getAttribute('aria-valuenow')) > 0 || undefined);
    await record(analystPage, '23-submit-file-progress');
    await analystPage.waitForURL(/\/reports\/[0-9a-f-]{36}$/);
    await uploadAt(-1);
    await analystPage.getByRole('heading', { name: stixTitle }).waitFor();
    await analystPage.getByTestId('report-status').getByText(t('reportStatus.normalised')).waitFor({ timeout: 30_000 });
    expect(await analystPage.getByText(`${t('reportPage.format')}: STIX`).count()).toBe(1);
    await record(analystPage, '24-stix-normalised');
    await analystPage.context().close();
    timings[lang] = Date.now() - started;
  }

  // The two languages run side by side (each in its own browser contexts, with its own team, people and receiver
  // path): the journeys wait on the worker and the browser much of the time, so this halves the file's time.
  it('in English and in Spanish (browser locales en-GB, es-ES): application approved, first org-admin invited by mail, analyst, reports, subscription with a test delivery', async () => {
    const outcomes = await Promise.allSettled([journey(ENGLISH), journey(SPANISH)]);
    const failures = outcomes.flatMap((outcome, index) =>
      outcome.status === 'rejected' ? [`${['en', 'es'][index]}: ${String(outcome.reason)}`] : [],
    );
    expect(failures).toEqual([]);
  }, 420_000);

  it('switches to another language (French) on request', async () => {
    const page = await (await browser.newContext({ locale: 'es-ES' })).newPage();
    await page.goto(`${baseUrl}/`);
    await page.getByRole('heading', { name: 'Iniciar sesión' }).waitFor();
    await page.getByLabel('Idioma').selectOption('fr');
    await page.getByRole('heading', { name: 'Connexion' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    await page.context().close();
  });

  it('no page of the journeys has a serious or critical accessibility violation', () => {
    expect(Object.keys(checked).length).toBeGreaterThanOrEqual(2 * 27);
    expect(Object.fromEntries(Object.entries(checked).filter(([, problems]) => problems.length > 0))).toEqual({});
  });
});
