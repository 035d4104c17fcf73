import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CASE_LEVEL_LABELS, CASE_LEVEL_TIERS, CASE_LEVELS } from './cases.ts';

describe('case levels in words', () => {
  it('name each tier with one 级: 网格级, 社区级, 街道级, 市级 (never 市级级)', () => {
    expect(CASE_LEVELS.map((l) => CASE_LEVEL_TIERS[l])).toEqual(['网格级', '社区级', '街道级', '市级']);
    for (const l of CASE_LEVELS) expect(CASE_LEVEL_TIERS[l].startsWith(CASE_LEVEL_LABELS[l].replace(/级$/, ''))).toBe(true);
  });

  it('are never written as a label with 级 appended in the client (that doubles 市级)', () => {
    const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../client/src');
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.(vue|ts)$/.test(e.name) && /LEVEL_LABELS\[[^\]]*\]\s*(\}\}|\})\s*级/.test(fs.readFileSync(p, 'utf8'))) offenders.push(path.relative(root, p));
      }
    };
    walk(root);
    expect(offenders).toEqual([]);
  });
});
