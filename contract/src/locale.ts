// The interface languages. zh-CN is the default and the city's language; en is for visitors,
// inspectors and partners who read English. The SQL CHECK on users.locale lists the same values.
import { z } from 'zod';

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';

/** Each language's name in itself, for the switch. */
export const LOCALE_NAMES: Record<Locale, string> = { 'zh-CN': '中文', en: 'English' };

export const localeBody = z.object({
  locale: z.enum(LOCALES, { message: '语言只能是 zh-CN 或 en (locale must be zh-CN or en)' }),
}).strict();
export type LocaleBody = z.infer<typeof localeBody>;
export const localeResponse = localeBody;
