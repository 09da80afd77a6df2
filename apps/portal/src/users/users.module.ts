import { Module } from '@nestjs/common';
import { AuditLogModule } from '@vigia/audit';
import { AuthModule } from '@vigia/auth';
import { OrganisationsModule } from '../organisations/organisations.module';
import { InvitationsController } from './invitations.controller';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({
  imports: [AuthModule, AuditLogModule, OrganisationsModule],
  controllers: [UsersController, InvitationsController],
  providers: [UsersService],
})
export class UsersModule {}
