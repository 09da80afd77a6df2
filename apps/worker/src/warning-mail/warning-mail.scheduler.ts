import { Injectable } from '@nestjs/common';
import {
  DigestEmailWarning,
  EmailChannelMode,
  EmailChannelTarget,
  EmailWarningRepository,
  ImmediateEmailWarning,
} from '@vigia/database';
import { Mailer } from '@vigia/mail';
import { mayReceive, storedScope } from '@vigia/sharing';
import { WarningEnvelope } from '@vigia/warning-stream';
import { WARNING_MAIL, warningMailItemOf } from './warning-mail.templates';

/** Mail log categories of warning mails. */
export const WarningMailCategory = {
  Immediate: 'warning-immediate',
  Digest: 'warning-digest',
} as const;

/** One subscription's warning about one report, for its e-mail channels. */
export interface EmailWarning {
  subscription: { id: string; name: string; organisationId: string; acceptsRed: boolean };
  channels: EmailChannelTarget[];
  envelope: WarningEnvelope;
  /** The report's sharing scope: its owner, level and audience. */
  report: { organisationId: string; tlp: string; tlpRecipients: string[] };
}

const HOUR_MS = 3600_000;

/** The end of the digest period `at` falls in: the next full hour, or the next midnight, UTC. */
export function digestDueAt(mode: EmailChannelMode.Hourly | EmailChannelMode.Daily, at: Date): Date {
  const period = mode === EmailChannelMode.Hourly ? HOUR_MS : 24 * HOUR_MS;
  return new Date(Math.floor(at.getTime() / period) * period + period);
}

/**
 * Hands warnings to e-mail channels under the same sharing rule as every channel (`mayReceive`: RED only through a
 * subscription that accepts it): an immediate channel gets its mail queued with the warning's record, a digest
 * channel gets the warning recorded until its period ends. One record per (channel, warning), so a re-run fan-out
 * mails nobody twice.
 */
@Injectable()
export class WarningMailScheduler {
  constructor(
    private readonly emailWarnings: EmailWarningRepository,
    private readonly mailer: Mailer,
  ) {}

  /** Answers how many (channel, warning) pairs were handed on (recorded now or before). */
  async schedule(warnings: readonly EmailWarning[], now: Date = new Date()): Promise<number> {
    const immediate: ImmediateEmailWarning[] = [];
    const digest: DigestEmailWarning[] = [];
    for (const { subscription, channels, envelope, report } of warnings) {
      const scope = storedScope(report.organisationId, report.tlp, report.tlpRecipients);
      const viewer = { organisationId: subscription.organisationId, active: true };
      if (!mayReceive(viewer, scope, { acceptsRed: subscription.acceptsRed })) continue;
      const item = warningMailItemOf(subscription.name, envelope);
      for (const channel of channels) {
        const record = {
          channelId: channel.id,
          warningId: envelope.id,
          reportId: envelope.report.id,
          tlp: scope.tlp,
          audienceOwner: scope.ownerId,
          tlpRecipients: [...scope.recipients],
        };
        if (channel.mode === EmailChannelMode.Immediate) {
          const mail = this.mailer.compose(WARNING_MAIL, item, {
            to: channel.address,
            locale: channel.locale,
            pgpPublicKey: channel.pgpPublicKey,
            category: WarningMailCategory.Immediate,
            organisationId: subscription.organisationId,
          });
          immediate.push({ ...record, mail });
        } else {
          digest.push({ ...record, content: item, dueAt: digestDueAt(channel.mode, now) });
        }
      }
    }
    const queued = await this.emailWarnings.recordImmediate(immediate);
    await this.emailWarnings.recordForDigest(digest);
    await this.mailer.dispatch(queued);
    return immediate.length + digest.length;
  }
}
