import { describe, expect, it } from 'vitest';
import { zoomScale } from './dotScale';

describe('household dot size by zoom', () => {
  it('is full size from street zoom, half at city zoom, and never smaller', () => {
    expect(zoomScale(15)).toBe(1);
    expect(zoomScale(18)).toBe(1);
    expect(zoomScale(14)).toBeCloseTo(Math.SQRT1_2);
    expect(zoomScale(13)).toBe(0.5);
    expect(zoomScale(10)).toBe(0.5);
  });
});
