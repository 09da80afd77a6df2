/** The network's languages, in which every mail template is written. */
export const MAIL_LOCALES = ['en', 'es', 'pt', 'fr'] as const;
export type MailLocale = (typeof MAIL_LOCALES)[number];

export const DEFAULT_MAIL_LOCALE: MailLocale = 'en';

/** A mail as it is sent: plain text, so it reads the same in every client and encrypts as it is. */
export interface RenderedMail {
  subject: string;
  text: string;
}

/**
 * One mail in every language of the network. Subjects go out in clear even when the body is encrypted: they never
 * carry indicators, report contents or secrets.
 */
export type MailTemplate<Params> = Record<MailLocale, (params: Params) => RenderedMail>;

/**
 * The network language for a language tag or an `Accept-Language`-like list (`es-MX`, `pt-BR,pt;q=0.9`, `FR`):
 * the first one the network writes in, else English.
 */
export function mailLocaleOf(tags: string | null | undefined): MailLocale {
  for (const tag of (tags ?? '').split(',')) {
    const language = tag.split(';')[0].trim().slice(0, 2).toLowerCase();
    const known = MAIL_LOCALES.find((locale) => locale === language);
    if (known) return known;
  }
  return DEFAULT_MAIL_LOCALE;
}

const SEVERITY_LABELS: Record<MailLocale, Record<string, string>> = {
  en: { low: 'low', medium: 'medium', high: 'high', critical: 'critical' },
  es: { low: 'baja', medium: 'media', high: 'alta', critical: 'crítica' },
  pt: { low: 'baixa', medium: 'média', high: 'alta', critical: 'crítica' },
  fr: { low: 'faible', medium: 'moyenne', high: 'élevée', critical: 'critique' },
};

/** A report's severity (`low` … `critical`) in the mail's language; an unknown value as it is. */
export const severityLabel = (locale: MailLocale, severity: string): string =>
  SEVERITY_LABELS[locale][severity] ?? severity;
