import { z } from 'zod';

/**
 * GET /api/client-config: deployment settings the client reads before it mounts. Served as JSON
 * by the server (from its environment) because the page's CSP allows no inline script that could
 * set them, and one client build serves every site.
 */
export const clientConfig = z.object({
  /**
   * A MapLibre style drawn under our layers (GRID_ATLAS_BASEMAP_STYLE_URL), or null for the
   * offline style. An http(s) URL or a path on this server; it must be WGS84/CGCS2000, not GCJ-02.
   */
  basemapStyleUrl: z
    .string()
    .regex(/^(https?:\/\/[^\s]+|\/[^\s]*)$/, 'basemapStyleUrl must be an http(s) URL or an absolute path')
    .nullable(),
});
export type ClientConfig = z.infer<typeof clientConfig>;
