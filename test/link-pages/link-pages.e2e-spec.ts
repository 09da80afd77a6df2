import { NestExpressApplication } from '@nestjs/platform-express';
import { OrganisationRepository, UserRole } from '@vigia/database';
import request from 'supertest';
import { createOrganisation } from '../../scripts/lib/organisation.factory';
import { createPerson } from '../support/access-token';
import { bootPortalApp } from '../support/portal-app';
import { TestContext, createTestContext } from '../support/test-context';
import { storedMails } from '../support/stored-mails';
import { applicationBody, dutyContact } from '../factories/application.factory';

const PAGES = ['/directory/confirm', '/applications/verify', '/applications/applicant', '/invitations/accept'];

/** What the page's script does when the button of form `formId` is pressed: post the token and fields as JSON. */
function buttonOf(html: string, formId: string): { action: string } {
  const form = new RegExp(`<form[^>]* id="${formId}"[^>]*>`).exec(html)?.[0];
  if (!form) throw new Error(`no form ${formId}`);
  const action = / data-action="([^"]+)"/.exec(form)![1]!;
  return { action };
}

describe('link pages: where the links in mails land', () => {
  let context: TestContext;
  let app: NestExpressApplication;
  let coordinator: string;
  let adminA: string;
  let orgA: string;

  beforeAll(async () => {
    context = await createTestContext({
      APPLICATION_MIN_FILL_SECONDS: '0',
      PUBLIC_URL: 'https://portal.network.example',
    });
    app = await bootPortalApp(context.config);
    const coordinating = await app.get(OrganisationRepository).findOrCreateCoordinator('Coordination', 'coord');
    coordinator = (await createPerson(app, coordinating.id, UserRole.Coordinator)).authorization;
    orgA = (await createOrganisation(context.dataSource, { name: 'CERT Alfa' })).id;
    adminA = (await createPerson(app, orgA, UserRole.OrgAdmin)).authorization;
  });

  afterAll(async () => {
    await app?.close();
    await context?.cleanup();
  });

  const http = () => request(app.getHttpServer());

  /** The link path (path and query) of the newest mail of `category` to `recipient`, as kept in the mail log. */
  const mailedLink = async (
    recipient: string,
    category: string,
  ): Promise<{ path: string; token: string; lang: string | undefined }> => {
    const [mail] = await storedMails<{ body: string }>(
      context,
      `SELECT body FROM mails WHERE recipient = $1 AND category = $2 ORDER BY created_at DESC LIMIT 1`,
      [recipient, category],
    );
    const match = /https:\/\/portal\.network\.example(\/[a-z/]+)\?token=([A-Za-z0-9_-]+)(?:&lang=([a-z]{2}))?/.exec(
      mail!.body,
    );
    if (!match) throw new Error(`no link in: ${mail!.body}`);
    return { path: match[1]!, token: match[2]!, lang: match[3] };
  };

  /** Opens the page a link points at, as a browser (or a mail scanner) would: a GET that must change nothing. */
  const open = async (path: string, token: string, lang?: string): Promise<string> => {
    const page = await http()
      .get(`${path}?token=${token}${lang ? `&lang=${lang}` : ''}`)
      .expect(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.text).toContain(`<html lang="${lang ?? 'en'}">`);
    return page.text;
  };

  const press = (html: string, formId: string, body: Record<string, unknown>) =>
    http().post(buttonOf(html, formId).action).set('Content-Type', 'application/json').send(body);

  it.each(PAGES)('serves %s as a static page with a strict CSP, no inline script and no referrer', async (path) => {
    const page = await http().get(path).expect(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = page.headers['content-security-policy'] as string;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("form-action 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    // Scripts only by src, no inline handlers or styles: the CSP would block them anyway.
    expect([...page.text.matchAll(/<script\b[^>]*>/g)].map((tag) => tag[0])).toEqual([
      '<script src="/link-pages/link-page.js" defer>',
    ]);
    expect(page.text).not.toMatch(/\son[a-z]+=|\sstyle=|javascript:/i);
    // Every button posts to an API route that exists (a GET of it is not 404: it answers 404 only for unknown routes).
    for (const [, action] of page.text.matchAll(/ data-action="([^"]+)"/g)) {
      expect(action).toMatch(/^\/api\/v1\//);
      const probe = await http().post(action!).send({});
      expect(probe.status).not.toBe(404);
      expect(probe.status).toBeLessThan(500);
    }
    // Nothing of the address reaches the page: the same bytes whatever the query says.
    const hostile = await http().get(`${path}?token=%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E&lang=<b>`).expect(200);
    expect(hostile.text).toBe(page.text);
  });

  it('speaks the network’s languages: ?lang= first, then the browser’s Accept-Language, else English', async () => {
    const html = (pending: request.Test) => pending.expect(200).then((page) => page.text);
    expect(await html(http().get('/applications/verify').set('Accept-Language', 'es-UY,es;q=0.9'))).toMatch(
      /<html lang="es">[\s\S]*Confirmar mi dirección/,
    );
    expect(await html(http().get('/directory/confirm?lang=pt').set('Accept-Language', 'es'))).toMatch(
      /<html lang="pt">[\s\S]*Confirme que este contato 24\/7 está disponível/,
    );
    expect(await html(http().get('/invitations/accept?lang=fr'))).toMatch(/Mot de passe \(au moins 12 caractères\)/);
    expect(await html(http().get('/applications/applicant?lang=de').set('Accept-Language', 'de-DE'))).toMatch(
      /<html lang="en">[\s\S]*Show my application/,
    );
    const page = await http().get('/applications/applicant').set('Accept-Language', 'fr');
    expect(page.headers.vary).toMatch(/Accept-Language/);
  });

  it('serves the script and the style the pages load, and the script is valid JavaScript', async () => {
    const script = await http().get('/link-pages/link-page.js').expect(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.headers['x-content-type-options']).toBe('nosniff');
    expect(() => new Function(script.text)).not.toThrow();
    // It posts only on submit, reads the token from the address, and writes answers as text, never as HTML.
    expect(script.text).toContain("addEventListener('submit'");
    expect(script.text).toContain('replaceState');
    expect(script.text).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(/);
    const style = await http().get('/link-pages/link-page.css').expect(200);
    expect(style.headers['content-type']).toBe('text/css; charset=utf-8');
  });

  it('confirms a 24/7 contact from the reachability mail’s page, and opening the page alone confirms nothing', async () => {
    await http()
      .put(`/api/v1/directory/${orgA}`)
      .set('Authorization', adminA)
      .send({
        contacts: [
          {
            name: 'Duty',
            role: 'Incident desk',
            email: 'duty@alfa.example',
            phone: '+59821234567',
            time_zone: 'America/Montevideo',
            languages: ['es'],
            hours: '24/7',
          },
        ],
      })
      .expect(200);
    await http().post('/api/v1/directory/reachability-checks').set('Authorization', coordinator).send({}).expect(201);
    const link = await mailedLink('duty@alfa.example', 'directory-reachability-check');
    expect(link).toMatchObject({ path: '/directory/confirm', lang: 'es' });

    const html = await open(link.path, link.token, link.lang);
    await open(link.path, link.token, link.lang);
    const contactStatus = async () =>
      (await http().get(`/api/v1/directory/${orgA}`).set('Authorization', adminA).expect(200)).body.contacts[0]
        .reachability.status as string;
    expect(await contactStatus()).toBe('pending');

    const confirmed = await press(html, 'confirm', { token: link.token }).expect(200);
    expect(confirmed.body).toEqual({ confirmed_at: expect.any(String) });
    expect(await contactStatus()).toBe('confirmed');
  });

  it('verifies an applicant’s address, then shows, answers and withdraws through the applicant’s page', async () => {
    const form = await http().get('/api/v1/applications/form').expect(200);
    const created = await http()
      .post('/api/v1/applications')
      .send({
        form_token: form.body.form_token,
        ...applicationBody({
          team_name: 'CERT Pages',
          website: 'https://www.cert-pages.example',
          constituency: { domains: ['pages.example'] },
          contacts: [dutyContact({ name: 'Duty', email: 'duty@cert-pages.example', phone: '+59521123456' })],
          applicant_email: 'ana@cert-pages.example',
        }),
      })
      .expect(202);
    const id = created.body.id as string;

    const verification = await mailedLink('ana@cert-pages.example', 'application-verification');
    expect(verification).toMatchObject({ path: '/applications/verify', lang: 'es' });
    const verifyPage = await open(verification.path, verification.token, verification.lang);
    const unverified = await http().get(`/api/v1/applications/${id}`).set('Authorization', coordinator).expect(200);
    expect(unverified.body.clock).toBeNull();
    await press(verifyPage, 'verify', { token: verification.token }).expect(200);
    const verified = await http().get(`/api/v1/applications/${id}`).set('Authorization', coordinator).expect(200);
    expect(verified.body.clock).not.toBeNull();

    const applicant = await mailedLink('ana@cert-pages.example', 'application-received');
    expect(applicant).toMatchObject({ path: '/applications/applicant', lang: 'es' });
    const applicantPage = await open(applicant.path, applicant.token, applicant.lang);
    const view = await press(applicantPage, 'view', { token: applicant.token }).expect(200);
    expect(view.body).toMatchObject({ team_name: 'CERT Pages', status: 'submitted', question: null });

    const move = (body: Record<string, unknown>) =>
      http().post(`/api/v1/applications/${id}/transitions`).set('Authorization', coordinator).send(body).expect(201);
    await move({ status: 'under_review' });
    await move({ status: 'information_requested', reason: 'Which decree?' });
    const asked = await mailedLink('ana@cert-pages.example', 'application-information-requested');
    const askedPage = await open(asked.path, asked.token, asked.lang);
    expect((await press(askedPage, 'view', { token: asked.token }).expect(200)).body.question).toBe('Which decree?');
    const answered = await press(askedPage, 'answer', { token: asked.token, answer: 'Decree 1/2020' }).expect(200);
    expect(answered.body.status).toBe('under_review');
    const withdrawn = await press(askedPage, 'withdraw', { token: asked.token, reason: 'Not now' }).expect(200);
    expect(withdrawn.body.status).toBe('withdrawn');
  });

  it('sets an invited person’s password from the invitation page', async () => {
    const invited = await http()
      .post(`/api/v1/organisations/${orgA}/users`)
      .set('Authorization', adminA)
      .send({ email: 'invitee@alfa.example', display_name: 'Invitee', role: 'analyst' })
      .expect(201);
    const linkPath = invited.body.invitation.link_path as string;
    const [path, query] = linkPath.split('?') as [string, string];
    expect(path).toBe('/invitations/accept');
    const token = new URLSearchParams(query).get('token')!;
    const html = await open(path, token);
    expect(html).toMatch(/<input[^>]* name="password"[^>]* minlength="12"/);
    await press(html, 'accept', { token, password: 'a long enough password' }).expect(204);
    await http()
      .post('/api/v1/auth/login')
      .send({ email: 'invitee@alfa.example', password: 'a long enough password' })
      .expect(200);
  });
});
