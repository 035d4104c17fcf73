// The shape every message module has: one tree of texts per language, the English tree typed
// after the Chinese one, so a key missing in either language is a compile error (vue-tsc), not
// a raw key on a wall screen.
import type { Locale } from '@grid-atlas/contract';

/** A message tree: texts, or trees of texts, by key. */
export interface MessageTree {
  [key: string]: string | MessageTree;
}

/** The same keys as T, every text a string (the Chinese tree's literal types widened). */
export type SameKeys<T> = { [K in keyof T]: T[K] extends string ? string : SameKeys<T[K]> };

export type Messages<T extends MessageTree> = Record<Locale, T>;

/**
 * A namespace's texts in both languages. vue-i18n's message syntax applies to every text:
 * `{name}` is a placeholder, `a | b` chooses by count (English plurals), `@` and the braces are
 * special (write `{'@'}` and `{'{'}` for the characters themselves). A word one language leaves
 * out, such as the measure word Chinese writes after a count (户, 人, 个) where English reads the
 * figure under its label, is `{''}` there: the literal empty string, so the text is not empty but
 * reads as nothing, and the code draws no unit when t() gives ''.
 */
export function defineMessages<T extends MessageTree>(zh: T, en: SameKeys<T>): Messages<T> {
  return { 'zh-CN': zh, en: en as unknown as T };
}
