// The interface's language. zh-CN is the default and the city's language; English is complete
// beside it. A signed-in person's choice is kept with their account (PUT /api/me/locale) and
// applied when /api/me answers; a resident without an account keeps it in this browser;
// `?lang=en` in a link opens that page in English. Data from the register (place, department and
// organisation names, notes) is shown as the city wrote it; the seeded case categories and their
// groups have English names (categoryName, categoryGroupName).
//
// Components read texts with useI18n(); modules outside components (map layers, chart options,
// formatters) use `t` from here. A change of language reloads the page, so the map's labels and
// the charts, drawn once from these texts, are drawn again in the new language.
import { createI18n } from 'vue-i18n';
import { DEFAULT_LOCALE, LOCALES, type Locale } from '@grid-atlas/contract';
import { messagesFor, type MessageSchema } from './messages';
import { CATEGORY_EN, CATEGORY_GROUP_EN } from './messages/categories';

const STORAGE_KEY = 'grid-atlas.locale';

const isLocale = (v: unknown): v is Locale => typeof v === 'string' && (LOCALES as readonly string[]).includes(v);

/** ?lang= in the address, then this browser's last choice, then zh-CN. */
function initialLocale(): Locale {
  if (typeof window === 'undefined') return DEFAULT_LOCALE;
  const asked = new URLSearchParams(window.location.search).get('lang');
  if (isLocale(asked)) return asked;
  try {
    const kept = window.localStorage.getItem(STORAGE_KEY);
    if (isLocale(kept)) return kept;
  } catch {
    // storage may be unavailable (private mode); the default stands
  }
  return DEFAULT_LOCALE;
}

export const i18n = createI18n<[MessageSchema], Locale, false>({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: DEFAULT_LOCALE,
  messages: { 'zh-CN': messagesFor('zh-CN'), en: messagesFor('en') },
  // A missing key is a test failure (literals.test.ts checks every key the code names), not a console line.
  missingWarn: false,
  fallbackWarn: false,
});

/** The text of `key` in the current language (for modules outside components). */
export const t = i18n.global.t;

export function currentLocale(): Locale {
  return i18n.global.locale.value;
}

/** Applies a language to the page now, without saving it anywhere. */
export function applyLocale(locale: Locale): void {
  i18n.global.locale.value = locale;
  if (typeof document !== 'undefined') document.documentElement.lang = locale;
}

/** Remembers a language in this browser (for the sign-in page and residents). */
export function keepLocale(locale: Locale): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // not kept: the account's choice still applies once signed in
  }
}

applyLocale(i18n.global.locale.value);

/** The half of a bilingual server message "中文 (English)" in the current language. */
export function localMessage(message: string): string {
  const m = /^(.*?)\s*\(([^()]*[A-Za-z][^()]*)\)\s*$/.exec(message);
  if (!m || !m[1]) return message;
  return currentLocale() === 'en' ? m[2] : m[1];
}

/** A category's name in the current language: the register's own in Chinese, the English one by its code. */
export function categoryName(code: string, name: string): string {
  return (currentLocale() === 'en' && CATEGORY_EN[code]) || name;
}

/** A category group's name in the current language (groups are known by their Chinese name). */
export function categoryGroupName(group: string): string {
  return (currentLocale() === 'en' && CATEGORY_GROUP_EN[group]) || group;
}
