import { createInstance } from 'i18next';
import en from '../i18n/locales/en.json';
import es from '../i18n/locales/es.json';
import fr from '../i18n/locales/fr.json';
import pt from '../i18n/locales/pt.json';
import { summariseFilters } from './filter-summary';

describe('subscription filter summary', () => {
  const translator = async (language: string) => {
    const i18n = createInstance();
    await i18n.init({
      resources: { en: { translation: en }, es: { translation: es }, pt: { translation: pt }, fr: { translation: fr } },
      lng: language,
      fallbackLng: false,
      interpolation: { escapeValue: false },
      showSupportNotice: false,
    });
    return i18n.t;
  };

  it.each([
    ['en', 'ipv4, fraud, severity ≥ Medium'],
    ['es', 'ipv4, fraud, gravedad ≥ Media'],
    ['pt', 'ipv4, fraud, gravidade ≥ Média'],
    ['fr', 'ipv4, fraud, gravité ≥ Moyenne'],
  ])('says the minimum severity in %s', async (language, summary) => {
    const filters = {
      indicator_types: ['ipv4' as const],
      classifications: ['fraud' as const],
      min_severity: 'medium' as const,
    };
    expect(summariseFilters(filters, await translator(language))).toBe(summary);
  });

  it('says when there is no filter', async () => {
    expect(summariseFilters({}, await translator('es'))).toBe(es.subscriptions.everything);
  });
});
