import { Module } from '@nestjs/common';
import { AuditLogModule } from '@vigia/audit';
import { AuthModule } from '@vigia/auth';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { SignInThrottle } from './sign-in-throttle';
import { TotpService } from './totp.service';

/** People's sign-in and sessions (the authentication of every request is libs/auth's). */
@Module({
  imports: [AuthModule, AuditLogModule],
  controllers: [AuthController],
  providers: [AuthService, SignInThrottle, TotpService],
})
export class PortalAuthModule {}
