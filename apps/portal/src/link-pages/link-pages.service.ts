import { Injectable } from '@nestjs/common';
import { LinkPage, renderLinkPage } from './link-page.html';
import { LINK_PAGES } from './link-pages';

/** The link pages, rendered once: they hold nothing of the request. */
@Injectable()
export class LinkPagesService {
  private readonly rendered = new Map<string, string>(
    LINK_PAGES.map((page: LinkPage) => [page.path, renderLinkPage(page)]),
  );

  /** The HTML of the page at `path` (one of LINK_PAGE_PATHS). */
  page(path: string): string {
    const html = this.rendered.get(path);
    if (html === undefined) throw new Error(`no link page at ${path}`);
    return html;
  }
}
