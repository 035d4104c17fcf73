import { describe, expect, it } from 'vitest';
import { panelPadding, stageScale } from './stage';

describe('command stage', () => {
  it('scales the panels’ padding with the stage', () => {
    expect(stageScale(null)).toBe(1);
    expect(stageScale({ clientWidth: 3840 } as HTMLElement)).toBe(2);
    expect(panelPadding(1)).toEqual({ top: 100, left: 440, right: 440, bottom: 250 });
    expect(panelPadding(2)).toEqual({ top: 200, left: 880, right: 880, bottom: 500 });
  });
});
