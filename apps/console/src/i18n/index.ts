import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './locales/en.json';
import es from './locales/es.json';
import fr from './locales/fr.json';
import pt from './locales/pt.json';

/** The official languages of the network's member states. */
export const LANGUAGES = ['en', 'es', 'pt', 'fr'] as const;
export type Language = (typeof LANGUAGES)[number];

const STORED_LANGUAGE = 'vigia.language';

/** The language chosen in the console, else the browser's first that the console speaks, else English. */
function initialLanguage(): Language {
  const wanted = [localStorage.getItem(STORED_LANGUAGE) ?? '', ...navigator.languages];
  for (const tag of wanted) {
    const base = tag.toLowerCase().split('-')[0] as Language;
    if (LANGUAGES.includes(base)) return base;
  }
  return 'en';
}

export function chooseLanguage(language: Language): void {
  localStorage.setItem(STORED_LANGUAGE, language);
  void i18n.changeLanguage(language);
}

void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, es: { translation: es }, pt: { translation: pt }, fr: { translation: fr } },
  lng: initialLanguage(),
  fallbackLng: false,
  interpolation: { escapeValue: false },
  returnNull: false,
  showSupportNotice: false,
});

i18n.on('languageChanged', (language) => document.documentElement.setAttribute('lang', language));
document.documentElement.setAttribute('lang', i18n.language);

/** A date and time in the user's time zone and language. */
export const formatDateTime = (iso: string | null | undefined): string =>
  iso ? new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso)) : '—';

export default i18n;
