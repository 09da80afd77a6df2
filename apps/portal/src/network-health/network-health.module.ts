import { Module } from '@nestjs/common';
import { AuthModule } from '@vigia/auth';
import { NetworkHealthController } from './network-health.controller';
import { NetworkHealthService } from './network-health.service';

/** The coordinator's network health figures. */
@Module({
  imports: [AuthModule],
  controllers: [NetworkHealthController],
  providers: [NetworkHealthService],
})
export class NetworkHealthModule {}
