import { mailLocaleOf } from '@vigia/mail';

/**
 * The portal pages that links in mails open, each with the token in its query (`?token=`; the page also reads it from
 * the fragment). Features build their links with `linkPagePath`, so a link and the page serving it cannot drift apart.
 */
export const LINK_PAGE_PATHS = {
  contactConfirmation: '/directory/confirm',
  applicationVerification: '/applications/verify',
  applicant: '/applications/applicant',
  invitation: '/invitations/accept',
} as const;

export type LinkPageName = keyof typeof LINK_PAGE_PATHS;

/**
 * The path of `page` carrying `token`, and the language of the mail it goes in (a language tag or list, read as the
 * mails read it), so the page speaks it too.
 */
export const linkPagePath = (page: LinkPageName, token: string, locale?: string | null): string =>
  `${LINK_PAGE_PATHS[page]}?token=${encodeURIComponent(token)}` + (locale ? `&lang=${mailLocaleOf(locale)}` : '');
