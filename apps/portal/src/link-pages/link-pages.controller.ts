import { applyDecorators, Controller, Get, Header, Headers, Query } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '@vigia/auth';
import { MAIL_LOCALES, MailLocale, mailLocaleOf } from '@vigia/mail';
import { LINK_PAGE_HEADERS, LINK_PAGE_SCRIPT_PATH, LINK_PAGE_STYLE_PATH } from './link-page.html';
import { LINK_PAGE_PATHS } from './link-page-paths';
import { LINK_PAGE_SCRIPT, LINK_PAGE_STYLE } from './link-page.script';
import { LinkPagesService } from './link-pages.service';

/** Served as `contentType` with the link pages' security headers. */
const LinkPageAnswer = (contentType: string): MethodDecorator =>
  applyDecorators(
    Public(),
    Header('Content-Type', contentType),
    ...Object.entries(LINK_PAGE_HEADERS).map(([name, value]) => Header(name, value)),
  );

const HTML = 'text/html; charset=utf-8';

/** `?lang=` when it names a network language, else the browser's first network language, else English. */
const localeOf = (lang: unknown, acceptLanguage: string | undefined): MailLocale =>
  MAIL_LOCALES.find((locale) => locale === lang) ?? mailLocaleOf(acceptLanguage);

/**
 * The pages links in mails open (until the web console serves them): opening one changes nothing; its button posts
 * the token to the API route that acts on it.
 */
@Controller()
@ApiExcludeController()
export class LinkPagesController {
  constructor(private readonly pages: LinkPagesService) {}

  @Get(LINK_PAGE_PATHS.contactConfirmation)
  @LinkPageAnswer(HTML)
  contactConfirmation(@Query('lang') lang: unknown, @Headers('accept-language') acceptLanguage?: string): string {
    return this.pages.page(LINK_PAGE_PATHS.contactConfirmation, localeOf(lang, acceptLanguage));
  }

  @Get(LINK_PAGE_PATHS.applicationVerification)
  @LinkPageAnswer(HTML)
  applicationVerification(@Query('lang') lang: unknown, @Headers('accept-language') acceptLanguage?: string): string {
    return this.pages.page(LINK_PAGE_PATHS.applicationVerification, localeOf(lang, acceptLanguage));
  }

  @Get(LINK_PAGE_PATHS.applicant)
  @LinkPageAnswer(HTML)
  applicant(@Query('lang') lang: unknown, @Headers('accept-language') acceptLanguage?: string): string {
    return this.pages.page(LINK_PAGE_PATHS.applicant, localeOf(lang, acceptLanguage));
  }

  @Get(LINK_PAGE_PATHS.invitation)
  @LinkPageAnswer(HTML)
  invitation(@Query('lang') lang: unknown, @Headers('accept-language') acceptLanguage?: string): string {
    return this.pages.page(LINK_PAGE_PATHS.invitation, localeOf(lang, acceptLanguage));
  }

  @Get(LINK_PAGE_SCRIPT_PATH)
  @LinkPageAnswer('text/javascript; charset=utf-8')
  script(): string {
    return LINK_PAGE_SCRIPT;
  }

  @Get(LINK_PAGE_STYLE_PATH)
  @LinkPageAnswer('text/css; charset=utf-8')
  style(): string {
    return LINK_PAGE_STYLE;
  }
}
