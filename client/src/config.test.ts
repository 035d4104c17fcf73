import { afterEach, describe, expect, it, vi } from 'vitest';
import { config, loadClientConfig } from './config';

const buildDefault = config.basemapStyleUrl;
afterEach(() => {
  config.basemapStyleUrl = buildDefault;
  vi.restoreAllMocks();
});

describe('loadClientConfig', () => {
  it('applies the basemap the server sets, from /api/client-config', async () => {
    const asked: string[] = [];
    await loadClientConfig(async (url) => (asked.push(url), { basemapStyleUrl: '/basemap/style.json' }));
    expect(asked).toEqual(['/api/client-config']);
    expect(config.basemapStyleUrl).toBe('/basemap/style.json');
  });

  it('keeps the build-time default when the server sets none, fails, or answers nonsense', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    await loadClientConfig(async () => ({ basemapStyleUrl: null }));
    expect(config.basemapStyleUrl).toBe(buildDefault);
    await loadClientConfig(async () => { throw new Error('offline'); });
    expect(config.basemapStyleUrl).toBe(buildDefault);
    await loadClientConfig(async () => ({ basemapStyleUrl: 'javascript:alert(1)' }));
    expect(config.basemapStyleUrl).toBe(buildDefault);
    expect(console.warn).toHaveBeenCalledTimes(2);
  });
});
