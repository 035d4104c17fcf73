// GET /api/client-config: the client's deployment settings, public (the sign-in page draws no
// map, but the client reads them before it mounts, signed in or not). They come from the
// server's environment so that one client build serves every site without an inline script.
import { clientConfig, type ClientConfig } from '@grid-atlas/contract';
import { Hono } from 'hono';

/** Reads the settings from the environment once; a malformed value stops the server starting. */
export function readClientConfig(env: NodeJS.ProcessEnv = process.env): ClientConfig {
  const parsed = clientConfig.safeParse({ basemapStyleUrl: env.GRID_ATLAS_BASEMAP_STYLE_URL?.trim() || null });
  if (!parsed.success) {
    throw new Error(`GRID_ATLAS_BASEMAP_STYLE_URL must be an http(s) URL or an absolute path, got "${env.GRID_ATLAS_BASEMAP_STYLE_URL}"`);
  }
  return parsed.data;
}

export function clientConfigRoutes(env: NodeJS.ProcessEnv = process.env) {
  const body = readClientConfig(env);
  return new Hono().get('/client-config', (c) => {
    // Settings change with a restart; the client fetches them once per page load anyway.
    c.header('Cache-Control', 'no-cache');
    return c.json(body);
  });
}
