import { Injectable, Logger } from '@nestjs/common';
import type { OrganisationPrincipal } from '@vigia/auth';
import { AuditDetailValue, AuditRepository, NewAuditEvent } from '@vigia/database';
import { AuditAction, AuditTargetType } from './audit-action';
import { RequestOrigin } from './request-origin';

/** What happened, as a feature states it; who and from where come from the principal and the request origin. */
export interface AuditEventInput {
  action: AuditAction;
  /** The organisation acted on; defaults to the principal's (on whose behalf it acted). */
  organisationId?: string;
  targetType?: AuditTargetType;
  targetId?: string;
  /** Plain facts (ids, names, counts, changed field names). Never secrets, tokens, request bodies or query strings. */
  details?: Record<string, AuditDetailValue>;
}

/** Who acted: a principal, or just the account and its organisation where there is none yet (sign-in). */
export type AuditActor = Pick<OrganisationPrincipal, 'organisationId' | 'userId' | 'apiKeyId'>;

/** Keys that must never reach the log, whatever a caller passes: they are dropped from `details`. */
const SECRET_KEY = /secret|token|password|passphrase|hash|authorization|cookie|otp_?code/i;

export function withoutSecrets(
  details: Record<string, AuditDetailValue> | undefined,
): Record<string, AuditDetailValue> {
  return Object.fromEntries(
    Object.entries(details ?? {})
      .filter(([key]) => !SECRET_KEY.test(key))
      .map(([key, value]) => [key, valueWithoutSecrets(value)]),
  );
}

/** Nested records (a change's before and after) lose their secret-looking keys too. */
function valueWithoutSecrets(value: AuditDetailValue): AuditDetailValue {
  if (Array.isArray(value)) return value.map(valueWithoutSecrets);
  if (value !== null && typeof value === 'object') {
    return withoutSecrets(value as Record<string, AuditDetailValue>);
  }
  return value;
}

/**
 * The audit log. Two ways to write:
 *
 * - `event(...)` builds the row for a repository to append in the same transaction as the change it records
 *   (`appendAuditEvents` in libs/database): the event exists exactly when the change committed. Use this for changes.
 * - `record(...)` appends right away, after the fact, and never throws: a failure is logged as an error and the
 *   caller's action stands. Use this where there is no transaction to join (login attempts, reads, exports).
 */
@Injectable()
export class AuditLog {
  private readonly logger = new Logger(AuditLog.name);

  constructor(private readonly events: AuditRepository) {}

  /** The row for `input`, with the actor from `principal` and the address and request id from `origin`. */
  event(input: AuditEventInput, principal?: AuditActor, origin?: RequestOrigin): NewAuditEvent {
    const organisationId = input.organisationId ?? principal?.organisationId;
    if (!organisationId) throw new Error(`Audit event ${input.action} names no organisation`);
    return {
      organisationId,
      action: input.action,
      actorUserId: principal?.userId ?? null,
      actorApiKeyId: principal?.apiKeyId ?? null,
      actorOrganisationId: principal?.organisationId ?? null,
      targetType: input.targetType ?? null,
      targetId: input.targetId ?? null,
      address: origin?.address ?? null,
      requestId: origin?.requestId ?? null,
      details: withoutSecrets(input.details),
    };
  }

  /**
   * Appends the event now (after the change, outside its transaction). Never throws: the action it records already
   * happened, so a failure here is logged as an error (action and reason only) for operators to follow up.
   */
  async record(input: AuditEventInput, principal?: AuditActor, origin?: RequestOrigin): Promise<void> {
    try {
      await this.events.append(this.event(input, principal, origin));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.logger.error(
        { action: input.action, requestId: origin?.requestId, reason },
        'could not record an audit event',
      );
    }
  }
}
