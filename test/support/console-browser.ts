import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Secret, TOTP } from 'otpauth';
import { Browser, Page, chromium } from 'playwright-core';
import { consoleBuildDir } from '../../apps/portal/src/console/console-assets';

/**
 * What the console's browser tests share: Debian's chromium (scripts/test.sh installs it; `npm test` builds the
 * console first), axe-core scans, screenshots into .data/screenshots/console, and signing in with a second factor.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(__dirname, '../../.data/screenshots/console');
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** Chromium, once the console is built; fails with what to do when either is missing. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no chromium at ${CHROMIUM}: apt-get install -y chromium`);
  if (!consoleBuildDir()) throw new Error('no console build: npm run build:console');
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

/** The app listening on a free port of 127.0.0.1; its base URL. */
export async function listening(app: NestExpressApplication): Promise<string> {
  await app.listen(0, '127.0.0.1');
  return `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
}

/** axe-core's serious and critical violations on the page as it is shown now. */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol: the portal's Content-Security-Policy (no inline scripts) stays in force.
  await page.evaluate(AXE_SOURCE);
  // A string, evaluated in the page: the tests are compiled without the DOM's types.
  const violations = (await page.evaluate(
    "axe.run(document, { resultTypes: ['violations'] }).then((result) => result.violations)",
  )) as AxeViolation[];
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id} (${violation.help}): ${violation.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
}

/** Screenshots and accessibility scans of the pages a journey goes through, by name. */
export class PageRecorder {
  readonly checked: Record<string, string[]> = {};

  async record(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
    this.checked[name] = await accessibilityProblems(page);
  }

  /** The pages with a serious or critical violation, with their problems. */
  problems(): Record<string, string[]> {
    return Object.fromEntries(Object.entries(this.checked).filter(([, problems]) => problems.length > 0));
  }
}

/** A page of its own browser context (its own cookies); its script errors and 5xx answers are reported. */
export async function newConsolePage(browser: Browser, locale = 'en-GB'): Promise<Page> {
  const page = await (await browser.newContext({ locale })).newPage();
  page.on('pageerror', (error) => process.stderr.write(`console page error: ${error.message}\n`));
  page.on('response', (r) => r.status() >= 500 && process.stderr.write(`RESP ${r.status()} ${r.url()}\n`));
  return page;
}

/**
 * Signs a coordinator or org-admin in for the first time: the console sends them to enrolment, where they set up an
 * authenticator and put the recovery codes away. Answers the TOTP secret, for signing in again.
 */
export async function signInAndEnrol(
  page: Page,
  baseUrl: string,
  person: { email: string; password: string },
): Promise<Secret> {
  await page.goto(`${baseUrl}/`);
  await page.getByLabel('E-mail').fill(person.email);
  await page.locator('input[type=password]').fill(person.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/enrol');
  await page.getByRole('button', { name: 'Set up an authenticator' }).click();
  const secret = Secret.fromBase32((await page.getByTestId('totp-secret').innerText()).trim());
  await page.getByLabel('Code from the authenticator').fill(new TOTP({ secret }).generate());
  await page.getByRole('button', { name: 'Confirm' }).click();
  await page.getByRole('button', { name: 'I have saved them' }).click();
  await page.getByRole('heading', { name: 'Home' }).waitFor();
  return secret;
}
