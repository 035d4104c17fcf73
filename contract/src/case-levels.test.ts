import { describe, expect, it } from 'vitest';
import { CASE_LEVEL_LABELS, CASE_LEVEL_TIERS, CASE_LEVELS } from './cases.ts';

describe('case levels in words', () => {
  it('name each tier with one 级: 网格级, 社区级, 街道级, 市级 (never 市级级)', () => {
    expect(CASE_LEVELS.map((l) => CASE_LEVEL_TIERS[l])).toEqual(['网格级', '社区级', '街道级', '市级']);
    for (const l of CASE_LEVELS) expect(CASE_LEVEL_TIERS[l].startsWith(CASE_LEVEL_LABELS[l].replace(/级$/, ''))).toBe(true);
  });
});
