import { runInNewContext } from 'node:vm';
import { LINK_PAGE_SCRIPT } from './link-page.script';

interface FakeElement {
  textContent: string;
  className: string;
  hidden: boolean;
  disabled: boolean;
  children: FakeElement[];
  appendChild(child: FakeElement): void;
}

const element = (): FakeElement => ({
  textContent: '',
  className: '',
  hidden: true,
  disabled: false,
  children: [],
  appendChild(child) {
    this.children.push(child);
  },
});

/** Just enough of a browser for the link pages' script: one form, its button and result, fetch and history. */
function browser(options: {
  search?: string;
  hash?: string;
  attributes: Record<string, string>;
  fields?: object[];
  /** The page's words for the script (`data-passwords-differ`...), as `<main>` carries them. */
  words?: Record<string, string>;
}) {
  const button = element();
  const result = element();
  const notice = element();
  let onSubmit: ((event: { preventDefault(): void }) => void) | undefined;
  const form = {
    elements: options.fields ?? [],
    getAttribute: (name: string) => options.attributes[name] ?? null,
    hasAttribute: (name: string) => name in options.attributes,
    querySelector: (selector: string) => (selector === 'button' ? button : result),
    addEventListener: (_: string, listener: typeof onSubmit) => (onSubmit = listener),
  };
  const fetch = jest.fn(async (_url: string, _init: { body: string }) => ({
    ok: true,
    status: 200,
    text: async () => JSON.stringify({ status: 'withdrawn', question: null }),
  }));
  const replaceState = jest.fn();
  runInNewContext(LINK_PAGE_SCRIPT, {
    window: {
      location: { search: options.search ?? '', hash: options.hash ?? '', pathname: '/applications/applicant' },
      history: { replaceState },
    },
    document: {
      querySelector: () => ({ getAttribute: (name: string) => options.words?.[name] ?? null }),
      querySelectorAll: () => [form],
      getElementById: () => notice,
      createElement: () => element(),
    },
    fetch,
    URLSearchParams,
  });
  const submit = async (): Promise<void> => {
    onSubmit!({ preventDefault: () => undefined });
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { button, result, notice, fetch, replaceState, submit, submits: () => onSubmit !== undefined };
}

const WITHDRAW = {
  'data-action': '/api/v1/applications/applicant/withdraw',
  'data-success': 'The application is withdrawn.',
  'data-show': JSON.stringify([
    ['status', 'Status'],
    ['question', 'The coordinator asks: today, or later?'],
  ]),
  'data-once': '',
};

describe('the link pages’ script', () => {
  it('posts nothing on load, drops the token from the address and posts it with the fields on submit', async () => {
    const page = browser({
      search: '?token=abc_123',
      attributes: WITHDRAW,
      fields: [
        { name: 'reason', type: 'textarea', value: 'Not now' },
        { name: 'sure', type: 'checkbox', value: 'on' },
      ],
    });
    expect(page.fetch).not.toHaveBeenCalled();
    expect(page.replaceState).toHaveBeenCalledWith(null, '', '/applications/applicant');
    await page.submit();
    expect(page.fetch).toHaveBeenCalledTimes(1);
    const [url, init] = page.fetch.mock.calls[0]!;
    expect(url).toBe('/api/v1/applications/applicant/withdraw');
    expect(JSON.parse(init.body)).toEqual({ token: 'abc_123', reason: 'Not now' });
    expect(page.result.children.map((line) => line.textContent)).toEqual([
      'The application is withdrawn.',
      'Status: withdrawn',
    ]);
    expect(page.result.hidden).toBe(false);
    expect(page.button.disabled).toBe(true);
  });

  it('prefers a token in the fragment, which never reaches a server', async () => {
    const page = browser({ search: '?token=from-query', hash: '#token=from-fragment', attributes: WITHDRAW });
    await page.submit();
    expect(JSON.parse(page.fetch.mock.calls[0]![1].body)).toEqual({ token: 'from-fragment' });
  });

  it('without a token shows why and disables the buttons', () => {
    const page = browser({ attributes: WITHDRAW });
    expect(page.notice.hidden).toBe(false);
    expect(page.button.disabled).toBe(true);
    expect(page.submits()).toBe(false);
  });

  it('refuses two different passwords before posting anything', async () => {
    const page = browser({
      search: '?token=t',
      attributes: { 'data-action': '/api/v1/invitations/accept', 'data-success': 'Set.' },
      fields: [
        { name: 'password', type: 'password', value: 'correct horse battery' },
        { name: 'password_again', type: 'password', value: 'correct horse battery staple' },
      ],
    });
    await page.submit();
    expect(page.fetch).not.toHaveBeenCalled();
    expect(page.result.children[0]!.textContent).toBe('The two passwords differ.');
  });

  it('speaks the page’s language, and shows the API’s reasons as text', async () => {
    const page = browser({
      search: '?token=t',
      attributes: { 'data-action': '/api/v1/invitations/accept', 'data-success': 'Listo.' },
      fields: [
        { name: 'password', type: 'password', value: 'a' },
        { name: 'password_again', type: 'password', value: 'b' },
      ],
      words: { 'data-passwords-differ': 'Las dos contraseñas no coinciden.' },
    });
    await page.submit();
    expect(page.result.children[0]!.textContent).toBe('Las dos contraseñas no coinciden.');

    const refused = browser({
      search: '?token=t',
      attributes: { 'data-action': '/api/v1/applications/verify', 'data-success': 'Ok.' },
      words: { 'data-failed': 'La solicitud falló (HTTP {status}).' },
    });
    refused.fetch.mockResolvedValueOnce({
      ok: false,
      status: 400,
      text: async () =>
        JSON.stringify({ message: '<b>The link is unknown</b>', details: [{ path: 'token', reason: 'expired' }] }),
    });
    await refused.submit();
    expect(refused.result.children.map((line) => line.textContent)).toEqual([
      '<b>The link is unknown</b>',
      'token: expired',
    ]);
    expect(refused.result.className).toBe('result error');
    expect(refused.button.disabled).toBe(false);
  });
});
