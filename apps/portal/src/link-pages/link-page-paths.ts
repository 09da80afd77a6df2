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

/** The path of `page` carrying `token` (base64url, so it needs no escaping). */
export const linkPagePath = (page: LinkPageName, token: string): string =>
  `${LINK_PAGE_PATHS[page]}?token=${encodeURIComponent(token)}`;
