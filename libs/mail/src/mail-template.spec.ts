import { mailLocaleOf } from './mail-template';

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
