import { Module } from '@nestjs/common';
import { AuthModule } from '@vigia/auth';
import { WarningsModule } from '@vigia/warnings';
import { StreamConnectionSlots } from './stream-connection-slots';
import { StreamController } from './stream.controller';
import { WarningStreamService } from './warning-stream.service';

@Module({
  imports: [AuthModule, WarningsModule],
  controllers: [StreamController],
  providers: [WarningStreamService, StreamConnectionSlots],
})
export class StreamModule {}
