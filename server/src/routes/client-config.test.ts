import { clientConfig } from '@grid-atlas/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb } from '../../../test/db.ts';
import { createApp } from '../app.ts';
import type { Db } from '../db/index.ts';
import { clientConfigRoutes, readClientConfig } from './client-config.ts';

let db: Db;
beforeAll(async () => {
  db = await openTestDb();
});
afterAll(() => db?.close());

describe('GET /api/client-config', () => {
  it('answers anyone, signed in or not, with JSON the contract accepts', async () => {
    const res = await createApp({ db }).request('/api/client-config');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(clientConfig.parse(await res.json())).toEqual({ basemapStyleUrl: process.env.GRID_ATLAS_BASEMAP_STYLE_URL?.trim() || null });
  });

  it('serves GRID_ATLAS_BASEMAP_STYLE_URL from the environment', async () => {
    for (const url of ['https://tiles.example/style.json', '/basemap/style.json']) {
      const res = await clientConfigRoutes({ GRID_ATLAS_BASEMAP_STYLE_URL: url }).request('/client-config');
      expect(await res.json()).toEqual({ basemapStyleUrl: url });
    }
    expect(readClientConfig({ GRID_ATLAS_BASEMAP_STYLE_URL: '  ' })).toEqual({ basemapStyleUrl: null });
  });

  it('refuses to start on a value that is not a URL or a path', () => {
    for (const bad of ['javascript:alert(1)', 'style.json', 'https://a b/c']) {
      expect(() => readClientConfig({ GRID_ATLAS_BASEMAP_STYLE_URL: bad })).toThrow(/GRID_ATLAS_BASEMAP_STYLE_URL/);
    }
  });
});
