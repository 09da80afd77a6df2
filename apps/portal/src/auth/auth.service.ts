import { Inject, Injectable, Logger } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AuditAction, AuditActor, AuditLog, AuditTargetType, RequestOrigin } from '@vigia/audit';
import {
  AccessTokenClaims,
  OrganisationPrincipal,
  generatePassword,
  generateRefreshToken,
  hashPassword,
  hashRefreshToken,
  needsRehash,
  verifyPassword,
} from '@vigia/auth';
import { ErrorCode, VigiaException } from '@vigia/common';
import { APP_CONFIG, AppConfig } from '@vigia/config';
import { SessionEndReason, SessionRepository, SignInCandidate, UserRepository } from '@vigia/database';
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

/** Why a sign-in of a known account failed, as the audit log says it (never the password or code). */
type SignInFailure = 'wrong-password' | 'account-inactive' | 'missing-second-factor' | 'wrong-second-factor';

/**
 * Sign-in, refresh-token rotation and people's sessions.
 *
 * Audit: sign-in attempts and locks are recorded after the fact (`record`: there is no transaction to join); a
 * session revoked for refresh-token reuse is recorded in the rotation's transaction; logout, logout-all and ending a
 * session are single statements, recorded right after they answer. Events go to the account's organisation.
 */
@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);
  /** Verified against when the e-mail is unknown, so that answer takes as long as a wrong password. */
  private readonly decoyHash: Promise<string> = hashPassword(generatePassword());

  constructor(
    private readonly users: UserRepository,
    private readonly sessions: SessionRepository,
    private readonly jwt: JwtService,
    private readonly throttle: SignInThrottle,
    private readonly totp: TotpService,
    private readonly audit: AuditLog,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async login(
    { email, password, otp, recoveryCode }: Credentials,
    client: ClientInfo,
    origin: RequestOrigin,
  ): Promise<IssuedSession> {
    const account = email.trim().toLowerCase();
    await this.throttle.check(account, client.ipAddress);
    const candidate = await this.users.findForSignIn(account);
    const matches = await verifyPassword(password, candidate?.passwordHash ?? (await this.decoyHash));
    if (!candidate) {
      await this.throttle.recordFailure(account, client.ipAddress);
      // An unknown e-mail has no organisation, and audit_events needs one: not recorded there, only this line,
      // with the address and never the e-mail typed (it may be a mistyped password or someone else's address).
      this.logger.warn({ address: origin.address, requestId: origin.requestId }, 'sign-in for an unknown account');
      throw wrongCredentials();
    }
    if (!matches) {
      await this.failedSignIn(account, candidate, client, origin, 'wrong-password');
      throw wrongCredentials();
    }
    // The password was right, so saying why is no leak.
    if (!candidate.active) {
      await this.recordFailedSignIn(candidate, origin, 'account-inactive');
      throw new VigiaException(ErrorCode.Forbidden, 'The account is disabled or its organisation is not active');
    }
    if (candidate.secondFactor) {
      if (!otp && !recoveryCode) {
        await this.recordFailedSignIn(candidate, origin, 'missing-second-factor');
        throw new VigiaException(ErrorCode.Unauthenticated, 'Two-factor sign-in is on: send otp or recovery_code');
      }
      if (!(await this.totp.verifyAtSignIn(candidate.userId, otp, recoveryCode))) {
        await this.failedSignIn(account, candidate, client, origin, 'wrong-second-factor');
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
    await this.audit.record(
      { action: AuditAction.LoginSucceeded, targetType: AuditTargetType.Session, targetId: sessionId },
      actorOf(candidate),
      origin,
    );
    return this.issue(candidate.userId, sessionId, refresh.token, sessionExpiresAt);
  }

  /** Counts a failure towards the throttle and records it, with the account's lock when this failure starts one. */
  private async failedSignIn(
    account: string,
    candidate: SignInCandidate,
    client: ClientInfo,
    origin: RequestOrigin,
    reason: SignInFailure,
  ): Promise<void> {
    const lockedForSeconds = await this.throttle.recordFailure(account, client.ipAddress);
    await this.recordFailedSignIn(candidate, origin, reason);
    if (lockedForSeconds !== undefined) {
      await this.audit.record(
        {
          action: AuditAction.AccountLocked,
          targetType: AuditTargetType.User,
          targetId: candidate.userId,
          details: { retry_after_seconds: lockedForSeconds },
        },
        actorOf(candidate),
        origin,
      );
    }
  }

  private recordFailedSignIn(candidate: SignInCandidate, origin: RequestOrigin, reason: SignInFailure): Promise<void> {
    return this.audit.record(
      {
        action: AuditAction.LoginFailed,
        targetType: AuditTargetType.User,
        targetId: candidate.userId,
        details: { reason },
      },
      actorOf(candidate),
      origin,
    );
  }

  /** Rotates the refresh token; a token presented twice ends its whole session (recorded in that transaction). */
  async refresh(refreshToken: string, origin: RequestOrigin): Promise<IssuedSession> {
    const next = generateRefreshToken();
    const outcome = await this.sessions.rotate(hashRefreshToken(refreshToken), next.hash, (reused) => [
      // No actor: whoever presented the token may not be the person whose session it was.
      this.audit.event(
        {
          action: AuditAction.SessionRevoked,
          organisationId: reused.organisationId,
          targetType: AuditTargetType.Session,
          targetId: reused.sessionId,
          details: { reason: SessionEndReason.RefreshTokenReuse, user_id: reused.userId },
        },
        undefined,
        origin,
      ),
    ]);
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

  // Revoking is one statement with no transaction: the event is recorded right after, when a session ended.

  async logout(principal: OrganisationPrincipal, origin: RequestOrigin): Promise<void> {
    const { userId, sessionId } = personOf(principal);
    if (await this.sessions.revoke(userId, sessionId, SessionEndReason.Logout)) {
      await this.recordRevoked(principal, origin, sessionId, SessionEndReason.Logout);
    }
  }

  async logoutAll(principal: OrganisationPrincipal, origin: RequestOrigin): Promise<void> {
    const { userId } = personOf(principal);
    const count = await this.sessions.revokeAll(userId, SessionEndReason.LogoutAll);
    await this.audit.record(
      {
        action: AuditAction.SessionRevoked,
        targetType: AuditTargetType.User,
        targetId: userId,
        details: { reason: SessionEndReason.LogoutAll, count },
      },
      principal,
      origin,
    );
  }

  async listSessions(userId: string, currentSessionId: string | undefined): Promise<SessionDto[]> {
    return (await this.sessions.listLive(userId)).map((session) => toSessionDto(session, currentSessionId));
  }

  /** Another user's session is answered as missing. */
  async revokeSession(principal: OrganisationPrincipal, origin: RequestOrigin, sessionId: string): Promise<void> {
    if (!(await this.sessions.revoke(personOf(principal).userId, sessionId, SessionEndReason.Revoked))) {
      throw new VigiaException(ErrorCode.NotFound, `You have no live session ${sessionId}`);
    }
    await this.recordRevoked(principal, origin, sessionId, SessionEndReason.Revoked);
  }

  private recordRevoked(
    principal: OrganisationPrincipal,
    origin: RequestOrigin,
    sessionId: string,
    reason: SessionEndReason,
  ): Promise<void> {
    return this.audit.record(
      {
        action: AuditAction.SessionRevoked,
        targetType: AuditTargetType.Session,
        targetId: sessionId,
        details: { reason },
      },
      principal,
      origin,
    );
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

/** The account as the actor of its own sign-in events. */
const actorOf = (candidate: SignInCandidate): AuditActor => ({
  organisationId: candidate.organisationId,
  userId: candidate.userId,
});

/** People's principal always has these (the routes require a signed-in person). */
export const personOf = (principal: OrganisationPrincipal): { userId: string; sessionId: string } => ({
  userId: principal.userId ?? '',
  sessionId: principal.sessionId ?? '',
});
