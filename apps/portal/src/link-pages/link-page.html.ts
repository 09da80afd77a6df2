import { LinkPageTexts } from './link-page-texts';

/** One field of a link page's form; its value is sent under `name` (checkboxes only gate the button). */
export interface LinkPageField {
  name: string;
  label: string;
  kind: 'text' | 'textarea' | 'password' | 'checkbox';
  required?: boolean;
  minLength?: number;
  maxLength?: number;
  autocomplete?: string;
}

/** A form that posts the link's token (and its fields) as JSON to an API route. */
export interface LinkPageForm {
  id: string;
  heading?: string;
  help?: string;
  /** The API route it posts to, such as `/api/v1/applications/verify`. */
  action: string;
  button: string;
  /** Shown once the API accepted it. */
  success: string;
  /** Fields of the API's answer shown after `success`, as `[field, label]`. */
  show?: readonly (readonly [string, string])[];
  fields?: readonly LinkPageField[];
  /** The link works once: the button stays disabled after success. */
  once?: boolean;
}

export interface LinkPage {
  /** Where mailed links point, such as `/directory/confirm`. */
  path: string;
  title: string;
  intro: string;
  forms: readonly LinkPageForm[];
}

export const LINK_PAGE_SCRIPT_PATH = '/link-pages/link-page.js';
export const LINK_PAGE_STYLE_PATH = '/link-pages/link-page.css';

/**
 * What a browser may do on a link page: load the page's own script and style, and post to the portal's API (same
 * origin). No inline script or style, no framing, no form submission without the script, no referrer (the address
 * held the token).
 */
export const LINK_PAGE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; " +
    "form-action 'none'; base-uri 'none'; frame-ancestors 'none'",
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Cache-Control': 'no-store',
  // The language comes from `?lang=` or the browser's Accept-Language.
  Vary: 'Accept-Language',
};

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe for HTML content and quoted attribute values. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character]!);

const attributes = (pairs: Record<string, string | number | boolean | undefined>): string =>
  Object.entries(pairs)
    .filter(([, value]) => value !== undefined && value !== false)
    .map(([name, value]) => (value === true ? ` ${name}` : ` ${name}="${escapeHtml(String(value))}"`))
    .join('');

function renderField(formId: string, field: LinkPageField): string {
  const id = `${formId}-${field.name}`;
  const common = {
    id,
    name: field.name,
    required: field.required ?? false,
    minlength: field.minLength,
    maxlength: field.maxLength,
    autocomplete: field.autocomplete,
  };
  const label = `<label for="${escapeHtml(id)}">${escapeHtml(field.label)}</label>`;
  if (field.kind === 'checkbox') return `<p>${`<input${attributes({ ...common, type: 'checkbox' })}>`} ${label}</p>`;
  const control =
    field.kind === 'textarea'
      ? `<textarea${attributes({ ...common, rows: 6 })}></textarea>`
      : `<input${attributes({ ...common, type: field.kind })}>`;
  return `<p>${label}<br>${control}</p>`;
}

function renderForm(form: LinkPageForm): string {
  // JSON, so labels may hold any character (attributes() escapes it).
  const show = form.show ? JSON.stringify(form.show) : undefined;
  return [
    `<form${attributes({
      id: form.id,
      method: 'post',
      'data-action': form.action,
      'data-success': form.success,
      'data-show': show,
      'data-once': form.once ?? false,
    })}>`,
    form.heading ? `<h2>${escapeHtml(form.heading)}</h2>` : '',
    form.help ? `<p>${escapeHtml(form.help)}</p>` : '',
    ...(form.fields ?? []).map((field) => renderField(form.id, field)),
    `<p><button type="submit">${escapeHtml(form.button)}</button></p>`,
    '<div class="result" data-result role="status" aria-live="polite" hidden></div>',
    '</form>',
  ]
    .filter(Boolean)
    .join('\n');
}

/**
 * The page a mailed link opens: static (nothing of the request is in it), so the token never reaches the HTML; the
 * script reads it from the address and posts it only when the person presses the button, never on load (mail
 * scanners open links).
 */
export function renderLinkPage(page: LinkPage, texts: LinkPageTexts): string {
  return [
    '<!doctype html>',
    `<html lang="${texts.lang}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<title>${escapeHtml(page.title)} · Vigia</title>`,
    `<link rel="stylesheet" href="${LINK_PAGE_STYLE_PATH}">`,
    `<script src="${LINK_PAGE_SCRIPT_PATH}" defer></script>`,
    '</head>',
    '<body>',
    // What the script says, in the page's language.
    `<main${attributes({
      'data-passwords-differ': texts.passwordsDiffer,
      'data-unreachable': texts.unreachable,
      'data-failed': texts.failed,
    })}>`,
    `<h1>${escapeHtml(page.title)}</h1>`,
    `<p>${escapeHtml(page.intro)}</p>`,
    `<noscript><p class="result error">${escapeHtml(texts.noScript)}</p></noscript>`,
    `<p id="no-token" class="result error" hidden>${escapeHtml(texts.noToken)}</p>`,
    ...page.forms.map(renderForm),
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
