import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditAction, AuditLog, AuditTargetType, RequestOrigin } from '@vigia/audit';
import type { OrganisationPrincipal } from '@vigia/auth';
import { ErrorCode, VigiaException } from '@vigia/common';
import { SecondFactorRepository } from '@vigia/database';
import { Secret, TOTP } from 'otpauth';
import { TotpConfirmedDto, TotpEnrolmentDto } from './dto/auth-answers.dto';

const ISSUER = 'Vigia';
const RECOVERY_CODE_COUNT = 10;
/** Codes of the previous and next 30-second step are accepted too (clock drift, typing time). */
const WINDOW = 1;

const totpOf = (secret: string, label?: string): TOTP =>
  new TOTP({ issuer: ISSUER, label, secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 });

/** Dashes and case do not matter when a recovery code is typed. */
export const normaliseRecoveryCode = (code: string): string => code.replace(/[\s-]/g, '').toLowerCase();
export const hashRecoveryCode = (code: string): string =>
  createHash('sha256').update(normaliseRecoveryCode(code), 'utf8').digest('hex');

/** 64 random bits as `xxxx-xxxx-xxxx-xxxx` (hex). */
export const generateRecoveryCode = (): string =>
  randomBytes(8)
    .toString('hex')
    .replace(/(.{4})(?!$)/g, '$1-');

/** The 30-second step a code is valid for, or undefined when it matches none within the window. */
export function stepOfCode(secret: string, code: string, now = Date.now()): number | undefined {
  const totp = totpOf(secret);
  const delta = totp.validate({ token: code, timestamp: now, window: WINDOW });
  return delta === null ? undefined : totp.counter({ timestamp: now }) + delta;
}

/** TOTP (RFC 6238) as a second factor: enrolment, confirmation with recovery codes, and the check at sign-in. */
@Injectable()
export class TotpService {
  constructor(
    private readonly secondFactors: SecondFactorRepository,
    private readonly audit: AuditLog,
  ) {}

  /** `label` names the account in the authenticator. */
  async enrol(userId: string, label: string): Promise<TotpEnrolmentDto> {
    const secret = new Secret({ size: 20 }).base32;
    if (!(await this.secondFactors.startEnrolment(userId, secret))) {
      throw new VigiaException(ErrorCode.Conflict, 'Two-factor sign-in is already on for this account');
    }
    return { secret, otpauth_uri: totpOf(secret, label).toString() };
  }

  /**
   * Turns the second factor on once a code proves the authenticator has the secret; answers recovery codes once.
   * Recorded (`totp.enabled`) in the confirmation's transaction.
   */
  async confirm(principal: OrganisationPrincipal, origin: RequestOrigin, code: string): Promise<TotpConfirmedDto> {
    const userId = principal.userId ?? '';
    const stored = await this.secondFactors.findTotp(userId);
    if (!stored || stored.confirmed) {
      throw new VigiaException(ErrorCode.Conflict, 'No pending enrolment: start one with POST /api/v1/auth/totp');
    }
    const step = stepOfCode(stored.secret, code);
    if (step === undefined) throw new VigiaException(ErrorCode.ValidationFailed, 'Wrong code for the new secret');
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, generateRecoveryCode);
    const enabled = () => [
      this.audit.event(
        { action: AuditAction.TotpEnabled, targetType: AuditTargetType.User, targetId: userId },
        principal,
        origin,
      ),
    ];
    if (!(await this.secondFactors.confirm(userId, step, codes.map(hashRecoveryCode), enabled))) {
      throw new VigiaException(ErrorCode.Conflict, 'The enrolment was confirmed or replaced meanwhile');
    }
    return { recovery_codes: codes };
  }

  /** True when the TOTP code (not used before) or an unused recovery code is right; each works once. */
  async verifyAtSignIn(userId: string, otp: string | undefined, recoveryCode: string | undefined): Promise<boolean> {
    if (recoveryCode) return this.secondFactors.useRecoveryCode(userId, hashRecoveryCode(recoveryCode));
    const stored = await this.secondFactors.findTotp(userId);
    const step = otp && stored?.confirmed ? stepOfCode(stored.secret, otp) : undefined;
    return step !== undefined && this.secondFactors.useStep(userId, step);
  }
}
