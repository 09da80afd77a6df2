import { Injectable } from '@nestjs/common';
import { MAIL_LOCALES, MailLocale } from '@vigia/mail';
import { renderLinkPage } from './link-page.html';
import { LINK_PAGE_TEXTS } from './link-page-texts';
import { linkPages } from './link-pages';

/** The link pages in every network language, rendered once: they hold nothing of the request. */
@Injectable()
export class LinkPagesService {
  private readonly rendered = new Map<string, string>(
    MAIL_LOCALES.flatMap((locale) =>
      linkPages(LINK_PAGE_TEXTS[locale]).map(
        (page) => [`${locale} ${page.path}`, renderLinkPage(page, LINK_PAGE_TEXTS[locale])] as const,
      ),
    ),
  );

  /** The HTML of the page at `path` (one of LINK_PAGE_PATHS) in `locale`. */
  page(path: string, locale: MailLocale): string {
    const html = this.rendered.get(`${locale} ${path}`);
    if (html === undefined) throw new Error(`no link page at ${path}`);
    return html;
  }
}
