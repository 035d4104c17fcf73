import { describe, expect, it } from 'vitest';
import { nextInTurn } from './tour';

describe('tour order', () => {
  it('starts at the first, steps in order and ends past the last', () => {
    expect(nextInTurn([4, 7, 9], null)).toBe(4);
    expect(nextInTurn([4, 7, 9], 4)).toBe(7);
    expect(nextInTurn([4, 7, 9], 9)).toBeNull();
  });
  it('restarts from the first when the current area is not in the turn', () => {
    expect(nextInTurn([4, 7, 9], 5)).toBe(4);
    expect(nextInTurn([], null)).toBeNull();
  });
});
