import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { APP_CONFIG, AppConfig } from '@vigia/config';
import { AccessTokenStrategy } from './access-token.strategy';
import { ApiKeyStrategy } from './api-key.strategy';
import { AuthenticationGuard } from './authentication.guard';

/** Authentication for every app: API keys and people's access tokens, and the guard `@Authenticated` applies. */
@Module({
  imports: [
    PassportModule,
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        secret: config.auth.jwtSecret,
        signOptions: { algorithm: 'HS256', expiresIn: config.auth.accessTokenTtlSeconds },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
  ],
  providers: [ApiKeyStrategy, AccessTokenStrategy, AuthenticationGuard],
  exports: [AuthenticationGuard, JwtModule],
})
export class AuthModule {}
