import { Module } from '@nestjs/common';
import { AuditLogModule } from '@vigia/audit';
import { AuthModule } from '@vigia/auth';
import { OrganisationsModule } from '../organisations/organisations.module';
import { SubscriptionsModule } from '../subscriptions/subscriptions.module';
import { ConstituencyWarningsController } from './constituency-warnings.controller';
import { ConstituencyWarningsService } from './constituency-warnings.service';

@Module({
  imports: [AuthModule, AuditLogModule, OrganisationsModule, SubscriptionsModule],
  controllers: [ConstituencyWarningsController],
  providers: [ConstituencyWarningsService],
})
export class ConstituencyWarningsModule {}
