import { describe, expect, it } from 'vitest';
import { matchReason } from './reason';

describe('matchReason', () => {
  it('names the shared terms first, then the category and the area', () => {
    expect(matchReason({ matched_terms: ['充电', '集中'], serves_category: false, default_unit: false, local: false })).toBe('相符：充电、集中');
    expect(matchReason({ matched_terms: [], serves_category: true, default_unit: true, local: true })).toBe('本类主责 · 服务本社区');
    expect(matchReason({ matched_terms: ['垃圾'], serves_category: true, default_unit: false, local: false })).toBe('相符：垃圾 · 服务本类别');
    expect(matchReason({ matched_terms: ['a', 'b', 'c', 'd', 'e'], serves_category: false, default_unit: false, local: false })).toBe('相符：a、b、c、d');
  });
});
