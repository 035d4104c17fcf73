// A person changes the interface language: kept with their account when signed in, and in this
// browser either way; then the page loads again in it (see index.ts for why a reload).
import type { Locale } from '@grid-atlas/contract';
import { putLocale } from '../api/session';
import { keepLocale } from './index';

export async function chooseLocale(locale: Locale, signedIn: boolean): Promise<void> {
  if (signedIn) await putLocale(locale);
  keepLocale(locale);
  const url = new URL(window.location.href);
  // an explicit ?lang= would override the choice just made
  if (url.searchParams.has('lang')) {
    url.searchParams.delete('lang');
    window.location.replace(url.toString());
  } else {
    window.location.reload();
  }
}
