import { Module } from '@nestjs/common';
import { AuthModule } from '@vigia/auth';
import { OrganisationsModule } from '../organisations/organisations.module';
import { ApiKeysController } from './api-keys.controller';
import { ApiKeysService } from './api-keys.service';

@Module({
  imports: [AuthModule, OrganisationsModule],
  controllers: [ApiKeysController],
  providers: [ApiKeysService],
})
export class ApiKeysModule {}
