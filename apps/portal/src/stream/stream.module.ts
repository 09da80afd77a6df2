import { Module } from '@nestjs/common';
import { AuthModule } from '@vigia/auth';
import { WarningStreamModule } from '@vigia/warning-stream';
import { OrganisationsModule } from '../organisations/organisations.module';
import { StreamConnectionSlots } from './stream-connection-slots';
import { StreamController } from './stream.controller';
import { WarningStreamService } from './warning-stream.service';

@Module({
  imports: [AuthModule, WarningStreamModule, OrganisationsModule],
  controllers: [StreamController],
  providers: [WarningStreamService, StreamConnectionSlots],
})
export class StreamModule {}
