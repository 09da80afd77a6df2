import { ProblemDetail, validationException } from '@vigia/common';
import { EmailChannelInput, EmailChannelMode } from '@vigia/database';
import { DEFAULT_MAIL_LOCALE } from '@vigia/mail';
import { PgpKeyError, readKeyField } from '@vigia/pgp';
import { WebhookUrlPolicy } from '@vigia/webhooks';
import { ChannelDto, ChannelType } from './dto/subscription-input.dto';

/** The channels a subscription asks for, checked: whether it streams, its webhook URLs (canonical), its e-mails. */
export interface ChannelPlan {
  stream: boolean;
  webhookUrls: string[];
  emailChannels: EmailChannelInput[];
}

/**
 * An e-mail channel with its OpenPGP key read (fingerprint, expiry), or the reason the key is refused. A key left
 * out keeps the stored channel's key (null or blank removes it), as the directory's contacts do.
 */
async function emailChannelOf(channel: ChannelDto): Promise<EmailChannelInput | { keyProblem: string }> {
  const pgpKey = await readKeyField(channel.pgp_public_key);
  if (pgpKey instanceof PgpKeyError) return { keyProblem: pgpKey.reason };
  return {
    address: channel.address!.trim(),
    locale: channel.language ?? DEFAULT_MAIL_LOCALE,
    mode: channel.mode ?? EmailChannelMode.Immediate,
    ...(pgpKey === undefined ? {} : { pgpKey }),
  };
}

/**
 * Checks what the DTO could not: at most one stream, no URL or address twice, every webhook URL through the SSRF
 * policy (which resolves host names), every OpenPGP key through libs/pgp. Throws one 400 listing every problem.
 */
export async function planChannels(channels: ChannelDto[], policy: WebhookUrlPolicy): Promise<ChannelPlan> {
  const problems: ProblemDetail[] = [];
  const webhookUrls: string[] = [];
  const emailChannels: EmailChannelInput[] = [];
  const addresses = new Set<string>();
  let stream = false;
  const checks = channels.map(async (channel, index) => {
    if (channel.type !== ChannelType.Webhook || channel.url === undefined) return;
    const check = await policy.check(channel.url);
    for (const reason of check.ok ? [] : check.reasons) {
      problems.push({ path: `channels[${index}].url`, value: channel.url, reason });
    }
  });
  const emails = channels.map(async (channel, index) => {
    if (channel.type !== ChannelType.Email) return;
    const planned = await emailChannelOf(channel);
    if ('keyProblem' in planned) {
      // The key itself is not echoed: it is long, and its owner has it.
      problems.push({ path: `channels[${index}].pgp_public_key`, reason: planned.keyProblem });
    } else emailChannels[index] = planned;
  });
  channels.forEach((channel, index) => {
    if (channel.type === ChannelType.Stream) {
      if (stream)
        problems.push({ path: `channels[${index}].type`, value: channel.type, reason: 'stream is listed twice' });
      stream = true;
    }
    if (channel.type === ChannelType.Webhook && channel.url !== undefined) {
      const url = new URL(channel.url).href;
      if (webhookUrls.includes(url)) {
        problems.push({ path: `channels[${index}].url`, value: channel.url, reason: 'the same URL is listed twice' });
      } else webhookUrls.push(url);
    }
    if (channel.type === ChannelType.Email && channel.address !== undefined) {
      const address = channel.address.trim().toLowerCase();
      if (addresses.has(address)) {
        problems.push({
          path: `channels[${index}].address`,
          value: channel.address,
          reason: 'the same address is listed twice',
        });
      }
      addresses.add(address);
    }
  });
  await Promise.all([...checks, ...emails]);
  if (problems.length > 0) throw validationException(problems.sort((a, b) => a.path.localeCompare(b.path)));
  // In the order given (the array has holes where other channel types were).
  return { stream, webhookUrls, emailChannels: emailChannels.filter((channel) => channel !== undefined) };
}
