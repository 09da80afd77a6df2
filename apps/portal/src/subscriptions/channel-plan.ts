import { ProblemDetail, validationException } from '@vigia/common';
import { WebhookUrlPolicy } from '@vigia/webhooks';
import { ChannelDto, ChannelType } from './dto/subscription-input.dto';

/** The channels a subscription asks for, checked: whether it streams, and its webhook URLs (in canonical form). */
export interface ChannelPlan {
  stream: boolean;
  webhookUrls: string[];
}

/**
 * Checks what the DTO could not: at most one stream, no URL twice, and every webhook URL through the SSRF policy
 * (which resolves host names). Throws one 400 listing every problem.
 */
export async function planChannels(channels: ChannelDto[], policy: WebhookUrlPolicy): Promise<ChannelPlan> {
  const problems: ProblemDetail[] = [];
  const webhookUrls: string[] = [];
  let stream = false;
  const checks = channels.map(async (channel, index) => {
    if (channel.type !== ChannelType.Webhook || channel.url === undefined) return;
    const check = await policy.check(channel.url);
    for (const reason of check.ok ? [] : check.reasons) {
      problems.push({ path: `channels[${index}].url`, value: channel.url, reason });
    }
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
  });
  await Promise.all(checks);
  if (problems.length > 0) throw validationException(problems.sort((a, b) => a.path.localeCompare(b.path)));
  return { stream, webhookUrls };
}
