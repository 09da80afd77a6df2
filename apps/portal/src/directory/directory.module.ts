import { Module } from '@nestjs/common';
import { AuditLogModule } from '@vigia/audit';
import { AuthModule } from '@vigia/auth';
import { MailModule } from '@vigia/mail';
import { SubscriptionsModule } from '../subscriptions/subscriptions.module';
import { DirectoryController } from './directory.controller';
import { DirectoryService } from './directory.service';
import { ReachabilityController } from './reachability.controller';
import { ReachabilityService } from './reachability.service';

@Module({
  imports: [AuthModule, AuditLogModule, MailModule, SubscriptionsModule],
  controllers: [ReachabilityController, DirectoryController],
  providers: [DirectoryService, ReachabilityService],
})
export class DirectoryModule {}
