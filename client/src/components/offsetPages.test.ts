import { describe, expect, it } from 'vitest';
import { offsetPage } from './offsetPages';

describe('offsetPage', () => {
  it('numbers the pages from 1 and knows the first and the last', () => {
    expect(offsetPage(0, 120, 50)).toEqual({ number: 1, count: 3, hasPrev: false, hasNext: true });
    expect(offsetPage(50, 120, 50)).toEqual({ number: 2, count: 3, hasPrev: true, hasNext: true });
    expect(offsetPage(100, 120, 50)).toEqual({ number: 3, count: 3, hasPrev: true, hasNext: false });
    expect(offsetPage(50, 100, 50)).toEqual({ number: 2, count: 2, hasPrev: true, hasNext: false });
  });

  it('counts one page for an empty list', () => {
    expect(offsetPage(0, 0, 50)).toEqual({ number: 1, count: 1, hasPrev: false, hasNext: false });
  });
});
