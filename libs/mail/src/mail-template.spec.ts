import { mailLocaleOf, severityLabel } from './mail-template';

describe('mailLocaleOf', () => {
  it.each([
    ['es', 'es'],
    ['es-MX', 'es'],
    ['pt-BR,pt;q=0.9,en;q=0.8', 'pt'],
    ['FR-ca', 'fr'],
    ['de-DE,fr;q=0.5', 'fr'],
    ['de', 'en'],
    ['', 'en'],
    [null, 'en'],
    [undefined, 'en'],
  ])('reads %p as %p', (tags, locale) => {
    expect(mailLocaleOf(tags)).toBe(locale);
  });
});

describe('severityLabel', () => {
  it('names each severity in every network language, and leaves unknown text as it is', () => {
    expect(['low', 'medium', 'high', 'critical'].map((severity) => severityLabel('es', severity))).toEqual([
      'baja',
      'media',
      'alta',
      'crítica',
    ]);
    expect(severityLabel('fr', 'high')).toBe('élevée');
    expect(severityLabel('pt', 'medium')).toBe('média');
    expect(severityLabel('en', 'critical')).toBe('critical');
    expect(severityLabel('es', 'unheard-of')).toBe('unheard-of');
  });
});
