import { describe, expect, it } from 'vitest';
import { openCategoryRows } from './panels';

describe('the 在办诉求类别 panel', () => {
  it('shows the categories with open cases from the one answer, the largest first, ties in display order', () => {
    expect(openCategoryRows([
      { code: 'garbage', name: '垃圾清运', count: 2 }, { code: 'street_vending', name: '占道经营', count: 0 },
      { code: 'noise', name: '噪音扰民', count: 5 }, { code: 'streetlight', name: '路灯故障', count: 2 },
    ])).toEqual([{ name: '噪音扰民', open: 5 }, { name: '垃圾清运', open: 2 }, { name: '路灯故障', open: 2 }]);
    expect(openCategoryRows([{ code: 'garbage', name: '垃圾清运', count: 0 }])).toEqual([]);
  });
});
