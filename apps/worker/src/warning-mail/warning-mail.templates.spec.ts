import { MAIL_LOCALES } from '@vigia/mail';
import { EmailChannelMode } from '@vigia/database';
import { WARNING_EVENT_TYPE, WarningEnvelope } from '@vigia/warning-stream';
import {
  MAIL_INDICATOR_LIMIT,
  WARNING_DIGEST_MAIL,
  WARNING_MAIL,
  WarningMailItem,
  strictestTlp,
  warningMailItemOf,
} from './warning-mail.templates';
import { digestDueAt } from './warning-mail.scheduler';

const item = (tlp: string, value: string): WarningMailItem => ({
  warningId: `wrn_${value}`,
  subscriptionName: 'Constituency',
  warnedAt: '2026-11-30T10:00:00.000Z',
  report: {
    id: '5b0e6f0e-3c52-4f7e-9a57-2f1f4c7a9d10',
    title: 'Phishing kit',
    classification: 'fraud',
    type: 'phishing',
    severity: 'high',
    tlp,
    reporterName: 'CSIRT A',
  },
  indicators: [
    { type: 'domain', value, confidence: 80, orgCount: 2, firstSeen: '2026-11-20T08:00:00.000Z', lastSeen: null },
  ],
  moreIndicators: 0,
});

describe('warning mail templates', () => {
  it.each(MAIL_LOCALES)('%s: the subject carries the TLP label and taxonomy, never an indicator value', (locale) => {
    const { subject, text } = WARNING_MAIL[locale](item('amber', 'login-dgi.example'));
    expect(subject).toMatch(/^\[TLP:AMBER\] .*fraud \/ phishing/);
    expect(subject).not.toContain('login-dgi.example');
    expect(text.startsWith('TLP:AMBER\n')).toBe(true);
    expect(text).toContain('domain login-dgi.example (');
  });

  it.each(MAIL_LOCALES)('%s: a digest is marked with its strictest level, each item with its own', (locale) => {
    const items = [item('green', 'a.example'), item('amber+strict', 'b.example'), item('clear', 'c.example')];
    const { subject, text } = WARNING_DIGEST_MAIL[locale]({ subscriptionName: 'x', period: 'daily', items });
    expect(subject).toMatch(/^\[TLP:AMBER\+STRICT\] .*3/);
    for (const value of ['a.example', 'b.example', 'c.example']) expect(subject).not.toContain(value);
    expect(text.match(/^\[\d\/3\] TLP:[A-Z+]+$/gm)).toEqual([
      '[1/3] TLP:GREEN',
      '[2/3] TLP:AMBER+STRICT',
      '[3/3] TLP:CLEAR',
    ]);
  });

  it('lists the first values of a large warning and counts the rest', () => {
    const envelope: WarningEnvelope = {
      id: 'wrn_1',
      type: WARNING_EVENT_TYPE,
      created_at: '2026-11-30T10:00:00.000Z',
      organisation_id: 'org',
      subscription_ids: ['sub'],
      report: { ...item('green', 'x').report, reporter: { id: 'r', name: 'CSIRT A' } },
      indicators: Array.from({ length: MAIL_INDICATOR_LIMIT + 5 }, (_, index) => ({
        stix_id: `indicator--${index}`,
        type: 'domain',
        value: `host-${index}.example`,
        confidence: null,
        org_count: 1,
        first_seen: null,
        last_seen: null,
        valid_until: null,
      })),
      bundle: { type: 'bundle', id: 'bundle--1' },
    };
    const { text } = WARNING_MAIL.en(warningMailItemOf('x', envelope));
    expect(text).toContain(`Indicators (${MAIL_INDICATOR_LIMIT + 5}):`);
    expect(text).toContain(`host-${MAIL_INDICATOR_LIMIT - 1}.example`);
    expect(text).not.toContain(`host-${MAIL_INDICATOR_LIMIT}.example`);
    expect(text).toContain('  … and 5 more\n');
  });

  it('treats an unknown level as the strictest', () => {
    expect(strictestTlp([item('green', 'a'), item('purple', 'b')])).toBe('red');
  });
});

describe('digestDueAt', () => {
  it('ends hourly digests at the next full hour and daily ones at the next midnight, UTC', () => {
    const at = new Date('2026-11-30T10:15:00.000Z');
    expect(digestDueAt(EmailChannelMode.Hourly, at).toISOString()).toBe('2026-11-30T11:00:00.000Z');
    expect(digestDueAt(EmailChannelMode.Daily, at).toISOString()).toBe('2026-12-01T00:00:00.000Z');
    expect(digestDueAt(EmailChannelMode.Hourly, new Date('2026-11-30T11:00:00.000Z')).toISOString()).toBe(
      '2026-11-30T12:00:00.000Z',
    );
  });
});
