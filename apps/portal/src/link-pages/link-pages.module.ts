import { Module } from '@nestjs/common';
import { LinkPagesController } from './link-pages.controller';
import { LinkPagesService } from './link-pages.service';

/** The pages that links in mails open: contact confirmation, application verification and follow-up, invitations. */
@Module({ controllers: [LinkPagesController], providers: [LinkPagesService] })
export class LinkPagesModule {}
