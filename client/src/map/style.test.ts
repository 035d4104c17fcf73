import { afterEach, describe, expect, it } from 'vitest';
import { config } from '../config';
import { resolveStyle } from './style';

const buildDefault = config.basemapStyleUrl;
afterEach(() => {
  config.basemapStyleUrl = buildDefault;
});

describe('resolveStyle', () => {
  it('falls back to the offline style with a Chinese notice; the address and the reason go to the log only', async () => {
    // Nothing listens on the discard port: the browser's (here Node's) fetch fails in English.
    config.basemapStyleUrl = 'http://127.0.0.1:9/style.json';
    const r = await resolveStyle(3000);
    expect(r.basemap).toBe(false);
    expect(r.style.name).toBe('grid-atlas-offline');
    expect(r.error?.message).toBe('底图样式加载失败，已改用离线底色');
    expect((r.error?.cause as Error).message).toContain('http://127.0.0.1:9/style.json');
  });
});
