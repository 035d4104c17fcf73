// Both languages say the same things: the same keys in every namespace, the same placeholders in
// each text, no text empty, no Chinese in the English, and every text compiles in vue-i18n's
// message syntax (a stray brace or @ would otherwise show the raw key).
import { describe, expect, it } from 'vitest';
import { LOCALES } from '@grid-atlas/contract';
import { i18n } from './index';
import { messagesFor } from './messages';

type Tree = { [k: string]: string | Tree };
const flatten = (tree: Tree, prefix = ''): Record<string, string> =>
  Object.fromEntries(Object.entries(tree).flatMap(([k, v]) =>
    typeof v === 'string' ? [[`${prefix}${k}`, v]] : Object.entries(flatten(v, `${prefix}${k}.`))));

const zh = flatten(messagesFor('zh-CN') as unknown as Tree);
const en = flatten(messagesFor('en') as unknown as Tree);
const placeholders = (text: string) => [...text.matchAll(/\{\s*(\w+)\s*\}/g)].map((m) => m[1]).sort();

describe('messages', () => {
  it('have the same keys in both languages', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort());
  });

  it('have the same placeholders in both languages, and no empty text', () => {
    const differ = Object.keys(zh).filter((k) => JSON.stringify([...new Set(placeholders(zh[k]))]) !== JSON.stringify([...new Set(placeholders(en[k] ?? ''))]));
    expect(differ).toEqual([]);
    expect(Object.entries({ ...zh }).filter(([, v]) => !v.trim()).map(([k]) => k)).toEqual([]);
    expect(Object.entries(en).filter(([, v]) => !v.trim()).map(([k]) => k)).toEqual([]);
  });

  it('are English in English', () => {
    expect(Object.entries(en).filter(([, v]) => /[\u3400-\u9fff\u3000-\u303f\uff01-\uff5e]/.test(v)).map(([k, v]) => `${k}: ${v}`)).toEqual([]);
  });

  it('compile: each text, given its placeholders, reads without braces or its own key', () => {
    const broken: string[] = [];
    for (const locale of LOCALES) {
      const texts = locale === 'en' ? en : zh;
      i18n.global.locale.value = locale;
      for (const [key, text] of Object.entries(texts)) {
        const params = Object.fromEntries(placeholders(text).map((p) => [p, 7]));
        let out: string;
        try {
          out = i18n.global.t(key, params);
        } catch (err) {
          out = `threw ${String(err)}`;
        }
        if (out === key || /\{\s*\w+\s*\}|threw/.test(out)) broken.push(`${locale} ${key}: ${out}`);
      }
    }
    i18n.global.locale.value = 'zh-CN';
    expect(broken).toEqual([]);
  });
});
