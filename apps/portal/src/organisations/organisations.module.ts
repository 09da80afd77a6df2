import { Module } from '@nestjs/common';
import { AuditLogModule } from '@vigia/audit';
import { AuthModule } from '@vigia/auth';
import { OrganisationAccess } from './organisation-access.service';
import { OrganisationStatusNotices } from './organisation-status-notices';
import { OrganisationsController } from './organisations.controller';
import { OrganisationsService } from './organisations.service';

@Module({
  imports: [AuthModule, AuditLogModule],
  controllers: [OrganisationsController],
  providers: [OrganisationsService, OrganisationAccess, OrganisationStatusNotices],
  exports: [OrganisationAccess, OrganisationStatusNotices],
})
export class OrganisationsModule {}
