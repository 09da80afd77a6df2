import { Injectable, Logger } from '@nestjs/common';
import { DigestOutcome, DueDigest, EmailChannelMode, EmailWarningRepository } from '@vigia/database';
import { Mailer } from '@vigia/mail';
import { JobHandler, JobName } from '@vigia/queue';
import { mayReceive, storedScope } from '@vigia/sharing';
import { WARNING_DIGEST_MAIL, WarningMailItem } from './warning-mail.templates';
import { WarningMailCategory } from './warning-mail.scheduler';

/** Warnings taken per transaction; a channel with more in one period gets more than one mail. */
const DIGEST_BATCH = 5000;

/**
 * Mails the digests whose period ended: one mail per channel with every warning it was given in the period, each
 * marked with its TLP label, encrypted to the channel's key if it has one. The sharing rule is applied again as the
 * digest goes out: a warning the recipient may no longer receive (its organisation suspended, its subscription
 * paused or no longer accepting RED) is dropped, never mailed.
 */
@Injectable()
export class SendWarningDigestsHandler {
  private readonly logger = new Logger('WarningDigests');

  constructor(
    private readonly emailWarnings: EmailWarningRepository,
    private readonly mailer: Mailer,
  ) {}

  @JobHandler(JobName.SendWarningDigests)
  async run(): Promise<{ mails: number }> {
    return this.sendDue(new Date());
  }

  /** Mails every digest due by `now`; answers how many mails were queued. */
  async sendDue(now: Date): Promise<{ mails: number }> {
    let mails = 0;
    for (;;) {
      const taken = await this.emailWarnings.takeDueDigests(now, DIGEST_BATCH, (due) => this.digestOf(due));
      await this.mailer.dispatch(taken.mails);
      mails += taken.mails.length;
      if (taken.taken < DIGEST_BATCH) break;
    }
    if (mails > 0) this.logger.log({ mails }, 'warning digests queued');
    return { mails };
  }

  private digestOf({
    channel,
    organisationActive,
    subscriptionActive,
    acceptsRed,
    warnings,
  }: DueDigest): DigestOutcome {
    const viewer = { organisationId: channel.organisationId, active: organisationActive };
    const receivable = warnings.filter(
      ({ scope }) =>
        subscriptionActive &&
        mayReceive(viewer, storedScope(scope.audienceOwner, scope.tlp, scope.tlpRecipients), { acceptsRed }),
    );
    const dropped = warnings.filter((warning) => !receivable.includes(warning)).map((warning) => warning.id);
    if (receivable.length === 0) return { mail: null, mailed: [], dropped };
    const mail = this.mailer.compose(
      WARNING_DIGEST_MAIL,
      {
        subscriptionName: channel.subscriptionName,
        period: channel.mode === EmailChannelMode.Hourly ? 'hourly' : 'daily',
        items: receivable.map((warning) => warning.content as WarningMailItem),
      },
      {
        to: channel.address,
        locale: channel.locale,
        pgpPublicKey: channel.pgpPublicKey,
        category: WarningMailCategory.Digest,
        organisationId: channel.organisationId,
      },
    );
    return { mail, mailed: receivable.map((warning) => warning.id), dropped };
  }
}
