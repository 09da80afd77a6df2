import { MAIL_LOCALES } from '@vigia/mail';
import { warningEnvelope } from '../../../../test/factories/warning.factory';
import { CONSTITUENCY_WARNING_MAIL } from './constituency-warning.mail';

describe('constituency warning mail', () => {
  const warning = warningEnvelope('org-owner');
  const value = warning.indicators[0]!.value;

  it.each(MAIL_LOCALES)('in %s names the report and lists the values, never in the subject', (locale) => {
    const { subject, text } = CONSTITUENCY_WARNING_MAIL[locale]({ warning, values: [value] });
    expect(subject).toContain('TLP:AMBER');
    expect(subject).not.toContain(value);
    expect(text).toContain(warning.report.title);
    expect(text).toContain(`  - ${value}`);
    expect(text).toContain(warning.id);
  });

  it.each(MAIL_LOCALES)('in %s leaves the values out when they may not travel in it', (locale) => {
    const { text } = CONSTITUENCY_WARNING_MAIL[locale]({ warning, values: null });
    expect(text).not.toContain(value);
    expect(text).toContain('Vigia');
  });
});
