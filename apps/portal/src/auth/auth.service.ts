import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import {
  AccessTokenClaims,
  generatePassword,
  generateRefreshToken,
  hashPassword,
  hashRefreshToken,
  needsRehash,
  verifyPassword,
} from '@vigia/auth';
import { ErrorCode, VigiaException } from '@vigia/common';
import { APP_CONFIG, AppConfig } from '@vigia/config';
import { SessionEndReason, SessionRepository, UserRepository } from '@vigia/database';
import { SessionDto } from './dto/auth-answers.dto';
import { toSessionDto } from './session.mapper';
import { SignInThrottle } from './sign-in-throttle';
import { TotpService } from './totp.service';

/** A session lasts this long from sign-in, however often it is refreshed; then the person signs in again. */
export const SESSION_LIFETIME_MS = 30 * 24 * 3600 * 1000;
const MAX_USER_AGENT_LENGTH = 512;

/** What a person signs in with. */
export interface Credentials {
  email: string;
  password: string;
  otp?: string;
  recoveryCode?: string;
}

/** Where a sign-in came from, shown in the sessions list. */
export interface ClientInfo {
  userAgent?: string;
  ipAddress?: string;
}

/** What a sign-in or refresh hands out. */
export interface IssuedSession {
  sessionId: string;
  accessToken: string;
  /** Seconds. */
  expiresIn: number;
  refreshToken: string;
  sessionExpiresAt: Date;
}

// One reason for an unknown e-mail and a wrong password, so sign-in does not tell which accounts exist.
const wrongCredentials = () => new VigiaException(ErrorCode.Unauthenticated, 'Wrong e-mail or password');

/** Sign-in, refresh-token rotation and people's sessions. */
@Injectable()
export class AuthService {
  /** Verified against when the e-mail is unknown, so that answer takes as long as a wrong password. */
  private readonly decoyHash: Promise<string> = hashPassword(generatePassword());

  constructor(
    private readonly users: UserRepository,
    private readonly sessions: SessionRepository,
    private readonly jwt: JwtService,
    private readonly throttle: SignInThrottle,
    private readonly totp: TotpService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async login({ email, password, otp, recoveryCode }: Credentials, client: ClientInfo): Promise<IssuedSession> {
    const account = email.trim().toLowerCase();
    await this.throttle.check(account, client.ipAddress);
    const candidate = await this.users.findForSignIn(account);
    const matches = await verifyPassword(password, candidate?.passwordHash ?? (await this.decoyHash));
    if (!candidate || !matches) {
      await this.throttle.recordFailure(account, client.ipAddress);
      throw wrongCredentials();
    }
    // The password was right, so saying why is no leak.
    if (!candidate.active) {
      throw new VigiaException(ErrorCode.Forbidden, 'The account is disabled or its organisation is not active');
    }
    if (candidate.secondFactor) {
      if (!otp && !recoveryCode) {
        throw new VigiaException(ErrorCode.Unauthenticated, 'Two-factor sign-in is on: send otp or recovery_code');
      }
      if (!(await this.totp.verifyAtSignIn(candidate.userId, otp, recoveryCode))) {
        await this.throttle.recordFailure(account, client.ipAddress);
        throw new VigiaException(ErrorCode.Unauthenticated, 'Wrong or already used one-time code');
      }
    }
    await this.throttle.recordSuccess(account);
    if (needsRehash(candidate.passwordHash)) {
      await this.users.setPasswordHash(candidate.userId, await hashPassword(password));
    }
    const refresh = generateRefreshToken();
    const sessionExpiresAt = new Date(Date.now() + SESSION_LIFETIME_MS);
    const sessionId = await this.sessions.create({
      userId: candidate.userId,
      refreshTokenHash: refresh.hash,
      expiresAt: sessionExpiresAt,
      userAgent: client.userAgent?.slice(0, MAX_USER_AGENT_LENGTH) || null,
      ipAddress: client.ipAddress || null,
    });
    return this.issue(candidate.userId, sessionId, refresh.token, sessionExpiresAt);
  }

  /** Rotates the refresh token; a token presented twice ends its whole session. */
  async refresh(refreshToken: string): Promise<IssuedSession> {
    const next = generateRefreshToken();
    const outcome = await this.sessions.rotate(hashRefreshToken(refreshToken), next.hash);
    switch (outcome.kind) {
      case 'rotated':
        return this.issue(outcome.userId, outcome.sessionId, next.token, outcome.expiresAt);
      case 'unknown':
        throw new VigiaException(ErrorCode.Unauthenticated, 'Unknown refresh token');
      case 'ended':
        throw new VigiaException(ErrorCode.Unauthenticated, 'The session has ended: sign in again');
      case 'reused':
        throw new VigiaException(
          ErrorCode.Unauthenticated,
          'This refresh token was already used: the session is revoked, sign in again',
        );
      case 'inactive':
        throw new VigiaException(
          ErrorCode.Unauthenticated,
          'The account is disabled or its organisation is not active',
        );
    }
  }

  async logout(userId: string, sessionId: string): Promise<void> {
    await this.sessions.revoke(userId, sessionId, SessionEndReason.Logout);
  }

  async logoutAll(userId: string): Promise<void> {
    await this.sessions.revokeAll(userId, SessionEndReason.LogoutAll);
  }

  async listSessions(userId: string, currentSessionId: string | undefined): Promise<SessionDto[]> {
    return (await this.sessions.listLive(userId)).map((session) => toSessionDto(session, currentSessionId));
  }

  /** Another user's session is answered as missing. */
  async revokeSession(userId: string, sessionId: string): Promise<void> {
    if (!(await this.sessions.revoke(userId, sessionId, SessionEndReason.Revoked))) {
      throw new VigiaException(ErrorCode.NotFound, `You have no live session ${sessionId}`);
    }
  }

  private async issue(
    userId: string,
    sessionId: string,
    refreshToken: string,
    sessionExpiresAt: Date,
  ): Promise<IssuedSession> {
    const claims: AccessTokenClaims = { sub: userId, sid: sessionId };
    return {
      sessionId,
      accessToken: await this.jwt.signAsync(claims),
      expiresIn: this.config.auth.accessTokenTtlSeconds,
      refreshToken,
      sessionExpiresAt,
    };
  }
}
