// The skip-or-fail decision of the browser tests: only a developer machine without CI may skip.
import { describe, expect, it } from 'vitest';
import { chromiumAvailable, underCi } from './browser.ts';

const missing = () => false;
const present = () => true;

describe('browser tests without a browser', () => {
  it.each(['1', 'true', 'yes', 'TRUE', 'false'])('fail under CI=%s', (ci) => {
    expect(underCi({ CI: ci })).toBe(true);
    expect(() => chromiumAvailable({ CI: ci }, missing)).toThrow(/Chromium not found/);
  });

  it('skip only when CI is unset (or empty)', () => {
    expect(chromiumAvailable({}, missing)).toBe(false);
    expect(chromiumAvailable({ CI: '' }, missing)).toBe(false);
  });

  it('run whenever the browser is there, and look where CHROMIUM_PATH says', () => {
    expect(chromiumAvailable({ CI: '1' }, present)).toBe(true);
    const looked: string[] = [];
    chromiumAvailable({ CHROMIUM_PATH: '/opt/chrome' }, (p) => (looked.push(p), true));
    expect(looked).toEqual(['/opt/chrome']);
  });
});
