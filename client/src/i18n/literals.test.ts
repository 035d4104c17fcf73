// No text a person reads may sit in the code: every Chinese string of the interface lives in
// i18n/messages, beside its English. This walks client/src (tests and the message files aside):
// in scripts it reads the string, template and regular-expression literals from TypeScript's own
// parse (comments are not literals), in Vue templates the markup with its comments removed, and
// fails on any Chinese character, or on a contract label table (Chinese too) used in place of
// the domain.* messages. It also resolves every key the code names, t('ns.key') or a
// prefix t(`ns.group.${code}`), and <i18n-t keypath>, against the Chinese messages, so a misspelt key fails here rather
// than showing the raw key on a screen.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { messagesFor } from './messages';

const SRC = path.resolve(import.meta.dirname, '..');
const CJK = /[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uff5e]/;

/** The contract's label tables and the server's role_label: Chinese whatever the language. */
const LABEL_TABLES = /\b(?:[A-Z]+_)+LABELS\b|\bCASE_LEVEL_TIERS\b|\bDELIBERATION_STEP_BODIES\b|\brole_label\b/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return full === path.join(SRC, 'i18n', 'messages') ? [] : sourceFiles(full);
    return /\.(ts|vue)$/.test(e.name) && !/\.test\.ts$/.test(e.name) && !/\.(d|typecheck)\.ts$/.test(e.name) ? [full] : [];
  });
}

/** The text of every string, template and regular-expression literal in a script. */
function scriptLiterals(code: string, file: string): string[] {
  const source = ts.createSourceFile(file, code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isStringLiteralLike(node) || ts.isTemplateLiteralToken(node) || ts.isRegularExpressionLiteral(node) || ts.isTemplateHead(node)) {
      found.push(node.getText(source));
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** A Vue file's scripts, and its template without comments. */
function vueParts(code: string): { scripts: string[]; template: string } {
  const scripts = [...code.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
  const template = /<template>([\s\S]*)<\/template>/.exec(code.replace(/<script\b[\s\S]*?<\/script>|<style\b[\s\S]*?<\/style>/g, ''))?.[1] ?? '';
  return { scripts, template: template.replace(/<!--[\s\S]*?-->/g, '') };
}

const files = sourceFiles(SRC).map((full) => {
  const rel = path.relative(SRC, full).split(path.sep).join('/');
  const code = readFileSync(full, 'utf8');
  const { scripts, template } = rel.endsWith('.vue') ? vueParts(code) : { scripts: [code], template: '' };
  const literals = scripts.flatMap((s) => scriptLiterals(s, full));
  return { rel, code: [...scripts, template].join('\n'), chinese: [...literals, ...template.split('\n')].filter((s) => CJK.test(s)) };
});

describe('interface texts', () => {
  it('no Chinese text outside i18n/messages', () => {
    const offenders = files.filter((f) => f.chinese.length).map((f) => `${f.rel}: ${f.chinese[0].trim().slice(0, 80)}`);
    expect(offenders).toEqual([]);
  });

  it('no label table of the contract is shown as it is (its texts are Chinese): domain.* messages say them in both languages', () => {
    const offenders = files.filter((f) => LABEL_TABLES.test(f.code)).map((f) => `${f.rel}: ${LABEL_TABLES.exec(f.code)![0]}`);
    expect(offenders).toEqual([]);
  });

  it('every key the code names exists in the messages', () => {
    const zh = messagesFor('zh-CN') as unknown as Record<string, unknown>;
    const lookup = (key: string) => key.split('.').reduce<unknown>((node, k) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[k] : undefined), zh);
    const missing: string[] = [];
    for (const f of files) {
      // t('a.b'), $t("a.b"), i18n.global.t('a.b'), and the static head of t(`a.b.${x}`)
      for (const m of f.code.matchAll(/(?<![\w$])\$?t\(\s*(['"])([\w.-]+)\1/g)) {
        if (typeof lookup(m[2]) !== 'string') missing.push(`${f.rel}: ${m[2]}`);
      }
      // <i18n-t keypath="a.b">
      for (const m of f.code.matchAll(/\bkeypath="([\w.-]+)"/g)) {
        if (typeof lookup(m[1]) !== 'string') missing.push(`${f.rel}: ${m[1]}`);
      }
      for (const m of f.code.matchAll(/(?<![\w$])\$?t\(\s*`([\w.-]+)\.\$\{/g)) {
        const node = lookup(m[1]);
        if (!node || typeof node !== 'object') missing.push(`${f.rel}: ${m[1]}.*`);
      }
    }
    expect(missing).toEqual([]);
  });
});
