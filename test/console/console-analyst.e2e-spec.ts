import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AddressInfo } from 'node:net';
import { NestExpressApplication } from '@nestjs/platform-express';
import { OrganisationEntity, OrganisationStatus, UserRole } from '@vigia/database';
import { Browser, Page, chromium } from 'playwright-core';
import { consoleBuildDir } from '../../apps/portal/src/console/console-assets';
import { createOrganisation } from '../../scripts/lib/organisation.factory';
import { seedSearchableIndicators } from '../../scripts/lib/searchable-indicators.factory';
import { storeReport } from '../../scripts/lib/stored-report.factory';
import { bootIngestApp } from '../support/ingest-app';
import { CreatedUser, createUser } from '../support/people';
import { bootPortalApp } from '../support/portal-app';
import { TestContext, createTestContext } from '../support/test-context';

/**
 * An analyst's console in Debian's chromium against the real portal and ingest: the organisation's recent reports on
 * the home page (from ingest's list, never another organisation's), the TLP:RED audience picked from the active
 * members, and the search page over a few thousand indicators (cursor pages fetched as the list is scrolled, rows in
 * the DOM bounded by the virtualised list). A correctness test, not a timed one: `npm run bench:console` times it.
 *
 * The browser helpers below are this file's own (the shared ones are moving to test/support/console-browser.ts).
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = join(__dirname, '../../.data/screenshots/console');
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const ROW = '[data-testid="search-results"] [role="row"]';
const SEARCHABLE = 3000;

interface AxeViolation {
  id: string;
  impact: string | null;
  nodes: { target: string[] }[];
}

/** axe-core's serious and critical violations on the page as it is shown now. */
async function accessibilityProblems(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  // A string, evaluated in the page: this file is compiled without the DOM's types.
  const violations = (await page.evaluate('axe.run(document).then((result) => result.violations)')) as AxeViolation[];
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
}

const listening = async (app: NestExpressApplication): Promise<string> => {
  await app.listen(0, '127.0.0.1');
  return `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
};

describe('console in a browser: an analyst’s recent reports, TLP:RED audience, search over thousands', () => {
  let context: TestContext;
  let ingest: NestExpressApplication;
  let portal: NestExpressApplication;
  let browser: Browser;
  let baseUrl: string;
  let own: OrganisationEntity;
  let analyst: CreatedUser;
  const checked: Record<string, string[]> = {};

  const record = async (page: Page, name: string): Promise<void> => {
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
    checked[name] = await accessibilityProblems(page);
  };

  /** A signed-in page of its own browser context. */
  const signedInPage = async (person: CreatedUser): Promise<Page> => {
    const page = await (await browser.newContext({ locale: 'en-GB' })).newPage();
    page.on('pageerror', (error) => process.stderr.write(`console page error: ${error.message}\n`));
    await page.goto(`${baseUrl}/sign-in`);
    await page.getByLabel('E-mail').fill(person.email);
    await page.locator('input[type=password]').fill(person.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Home' }).waitFor();
    return page;
  };

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`no chromium at ${CHROMIUM}: apt-get install -y chromium`);
    if (!consoleBuildDir()) throw new Error('no console build: npm run build:console');
    mkdirSync(SCREENSHOTS, { recursive: true });
    context = await createTestContext();
    ingest = await bootIngestApp(context.config);
    const ingestUrl = await listening(ingest);
    portal = await bootPortalApp({ ...context.config, ingest: { ...context.config.ingest, url: ingestUrl } });
    baseUrl = (await listening(portal)).replace('127.0.0.1', 'localhost');
    own = await createOrganisation(context.dataSource, { name: 'Analyst CSIRT' });
    analyst = await createUser(context.dataSource, { organisationId: own.id, role: UserRole.Analyst });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await portal?.close();
    await ingest?.close();
    await context?.cleanup();
  });

  it('the home page lists the organisation’s own recent reports, newest first, ten at a time, each opening its status', async () => {
    const other = await createOrganisation(context.dataSource, { name: 'Other CSIRT' });
    const indicators = [{ type: 'ipv4', value: '198.51.100.9' }];
    for (let index = 1; index <= 12; index += 1) {
      await storeReport(context.dataSource, own.id, indicators, { title: `Own report ${index}`, tlp: 'green' });
    }
    await storeReport(context.dataSource, other.id, indicators, { title: 'Another organisation’s report' });
    // Every status shown, so the accessibility scan sees each badge colour.
    await context.dataSource.query(
      `UPDATE incident_reports SET status = 'normalised', normalised_at = now() WHERE title = 'Own report 11'`,
    );
    await context.dataSource.query(
      `UPDATE incident_reports SET status = 'failed', failure_reason = 'test' WHERE title = 'Own report 10'`,
    );
    const page = await signedInPage(analyst);
    const list = page.getByTestId('my-reports');
    await list.getByRole('link', { name: 'Own report 12' }).waitFor();
    const titles = async (): Promise<string[]> => list.locator('tbody tr td:first-child').allInnerTexts();
    expect(await titles()).toEqual(Array.from({ length: 10 }, (_, index) => `Own report ${12 - index}`));
    await expect(list.getByText('1 accepted, 0 skipped').count()).resolves.toBe(10);
    await list.getByRole('row', { name: /Own report 11 .*Normalised/ }).waitFor();
    await list.getByRole('row', { name: /Own report 10 .*Failed/ }).waitFor();
    await record(page, 'analyst-01-home-recent-reports');

    await page.getByRole('button', { name: 'Show older reports' }).click();
    await list.getByRole('link', { name: 'Own report 1', exact: true }).waitFor();
    expect(await titles()).toEqual(Array.from({ length: 12 }, (_, index) => `Own report ${12 - index}`));
    expect(await page.getByRole('button', { name: 'Show older reports' }).count()).toBe(0);
    expect(await page.getByText('Another organisation’s report').count()).toBe(0);

    await list.getByRole('link', { name: 'Own report 12' }).click();
    await page.waitForURL(/\/reports\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { name: 'Own report 12' }).waitFor();
    await page.getByTestId('report-status').getByText('Received').waitFor();
    await page.context().close();
  }, 90_000);

  it('TLP:RED is refused without an audience, which is picked by name among the active members', async () => {
    const partner = await createOrganisation(context.dataSource, { name: 'Partner CSIRT Andina', countryCode: 'CL' });
    await createOrganisation(context.dataSource, {
      name: 'Partner CSIRT Suspended',
      status: OrganisationStatus.Suspended,
    });
    const page = await signedInPage(analyst);
    await page.getByRole('link', { name: 'Submit a report' }).click();
    await page.getByRole('heading', { name: 'Submit a report' }).waitFor();
    await page.getByLabel('Title').fill('Red report for one partner');
    await page.getByRole('combobox', { name: 'TLP 2.0' }).click();
    await page.getByRole('option', { name: 'TLP:RED' }).click();
    await page.getByLabel('Indicators, one per line').fill('198.51.100.77');
    await page.getByTestId('paste-summary').getByText('1 accepted, 0 rejected').waitFor();
    await page.getByRole('button', { name: 'Submit', exact: true }).click();
    await page.getByText('TLP:RED needs an audience: choose at least one member organisation.').waitFor();
    await record(page, 'analyst-02-red-without-audience');
    const stored = async (): Promise<{ tlp: string; tlp_recipients: string[] }[]> =>
      (await context.dataSource.query(
        `SELECT tlp, tlp_recipients::text[] AS tlp_recipients FROM incident_reports WHERE title = $1`,
        ['Red report for one partner'],
      )) as { tlp: string; tlp_recipients: string[] }[];
    expect(await stored()).toEqual([]);

    const audience = page.getByRole('combobox', { name: 'Audience' });
    await audience.click();
    await audience.pressSequentially('Partner CSIRT');
    await page.getByRole('option', { name: 'Partner CSIRT Andina (CL)' }).waitFor();
    // Only active members are offered.
    expect(await page.getByRole('option', { name: /Suspended/ }).count()).toBe(0);
    await page.getByRole('option', { name: 'Partner CSIRT Andina (CL)' }).click();
    await page.keyboard.press('Escape');
    await expect(
      page.getByText('TLP:RED needs an audience: choose at least one member organisation.').count(),
    ).resolves.toBe(0);
    await record(page, 'analyst-03-red-audience-picked');
    await page.getByRole('button', { name: 'Submit', exact: true }).click();
    await page.waitForURL(/\/reports\/[0-9a-f-]{36}$/);
    expect(await stored()).toEqual([{ tlp: 'red', tlp_recipients: [partner.id] }]);

    // The new report heads the home page's list.
    await page.getByRole('link', { name: 'Home' }).click();
    await page.getByTestId('my-reports').getByRole('link', { name: 'Red report for one partner' }).waitFor();
    await page.context().close();
  }, 90_000);

  it('the search page fetches cursor pages of 100 only as the list is scrolled, and keeps few rows in the DOM', async () => {
    await seedSearchableIndicators(context.dataSource, context.config, own.id, SEARCHABLE);
    const page = await signedInPage(analyst);
    const searches: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname === '/api/v1/indicators') searches.push(url.searchParams.get('cursor') ?? 'first');
    });
    const table = page.getByRole('table', { name: 'Indicators found' });
    const loaded = async (): Promise<number> => Number(await table.getAttribute('aria-rowcount')) - 1;
    await page.getByRole('link', { name: 'Indicators' }).click();
    await page.locator(ROW).first().waitFor();
    await page.getByTestId('search-count').getByText('100+ indicators').waitFor();
    // Nothing more is fetched while the list is not scrolled.
    await page.waitForTimeout(1000);
    expect(searches).toEqual(['first']);
    expect(await loaded()).toBe(100);
    await record(page, 'analyst-04-search');

    await page.getByTestId('search-results').hover();
    let mostInDom = 0;
    const deadline = Date.now() + 120_000;
    while ((await loaded()) < SEARCHABLE && Date.now() < deadline) {
      mostInDom = Math.max(mostInDom, await page.locator(ROW).count());
      await page.mouse.wheel(0, 3000);
      await page.waitForTimeout(50);
    }
    await page.getByTestId('search-count').getByText(`${SEARCHABLE} indicators`, { exact: true }).waitFor();
    mostInDom = Math.max(mostInDom, await page.locator(ROW).count());
    expect(await loaded()).toBe(SEARCHABLE);
    // Every page once, each after the one before (no page fetched twice, none skipped).
    expect(searches).toHaveLength(SEARCHABLE / 100);
    expect(new Set(searches).size).toBe(SEARCHABLE / 100);
    // The list renders what is in view plus its overscan, never the thousands loaded.
    expect(mostInDom).toBeGreaterThan(5);
    expect(mostInDom).toBeLessThanOrEqual(80);
    const ids = await page
      .locator(`${ROW} a`)
      .evaluateAll((links) =>
        links.map((link) => (link as unknown as { getAttribute(name: string): string }).getAttribute('href')),
      );
    expect(new Set(ids).size).toBe(ids.length);
    await page.context().close();
  }, 180_000);

  it('no page of the analyst’s journey has a serious or critical accessibility violation', () => {
    expect(Object.keys(checked).length).toBeGreaterThanOrEqual(4);
    expect(checked).toEqual(Object.fromEntries(Object.keys(checked).map((name) => [name, []])));
  });
});
