// Request body limits: every API route gets one, answered 413 with a bilingual message
// before the body is read (from Content-Length) or as soon as a chunked body passes it.
// Routes that need more (photo uploads, say) ask for it in their own entry, because the
// limit is chosen per route here rather than stacked (an outer default would refuse first).
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { BOUNDARY_IMPORT_LIMIT_BYTES, IMPORT_FILE_LIMIT_BYTES, PLAN_BODY_LIMIT_BYTES } from '@grid-atlas/contract';
import { adoptBody, nodeIncoming, readIncoming } from './node-body.ts';
import { isJsonContentType } from './text-input.ts';

export const KB = 1024;
export const MB = 1024 * KB;

/** Bytes allowed for routes without their own entry. */
export const DEFAULT_BODY_LIMIT = 64 * KB;

/** "METHOD /path" (relative to /api) → bytes; sign-in needs only a username and a password. */
export const BODY_LIMITS: Record<string, number> = {
  'POST /auth/login': 4 * KB,
  // A personal access token's name.
  'POST /tokens': 4 * KB,
  // Up to 4 photos of at most 5 MB each, plus the text fields and multipart framing.
  'POST /cases': 21 * MB,
  'POST /public/reports': 21 * MB,
  // A plan assigns every block of a community (a few thousand at most) or carries its GeoJSON.
  'POST /plans': PLAN_BODY_LIMIT_BYTES,
  'POST /plans/import': PLAN_BODY_LIMIT_BYTES,
  // A plan's grids as a file (GeoJSON, zipped Shapefile, GeoPackage) in a multipart form.
  'POST /plans/import-file': IMPORT_FILE_LIMIT_BYTES,
  // A city's subdistricts, communities and grids: three files, or one GeoPackage holding them.
  'POST /boundaries/import': BOUNDARY_IMPORT_LIMIT_BYTES,
};

const human = (n: number) => (n >= MB ? `${n / MB} MB` : `${n / KB} KB`);

export function apiBodyLimit(limits: Record<string, number> = BODY_LIMITS, fallback = DEFAULT_BODY_LIMIT): MiddlewareHandler {
  const middlewares = new Map<number, MiddlewareHandler>();
  const tooLarge = (maxSize: number) =>
    new HTTPException(413, { message: `请求内容过大，最多 ${human(maxSize)} (request body too large; at most ${human(maxSize)})` });
  const forSize = (maxSize: number) => {
    let m = middlewares.get(maxSize);
    if (!m) {
      m = bodyLimit({
        maxSize,
        onError: () => {
          throw tooLarge(maxSize);
        },
      });
      middlewares.set(maxSize, m);
    }
    return m;
  };
  return async (c, next) => {
    // A GET or HEAD request reaches the app without a body (the Node adapter gives it none), so
    // there is nothing to limit; asking for its body would build a full fetch Request per
    // request (~0.2 ms, most of a cached GET's time when 200 arrive at once).
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const route = `${c.req.method} ${c.req.path.replace(/^\/api/, '')}`;
    const maxSize = limits[route] ?? fallback;
    // A JSON body under Node is read here from the socket (http/node-body.ts), within the limit:
    // refused from Content-Length before a byte is read, or as soon as a chunked body passes it.
    // Forms (photo uploads) stream through Hono's own limit and multipart parser.
    const incoming = nodeIncoming(c);
    if (incoming && isJsonContentType(c.req.header('Content-Type'))) {
      const declared = c.req.header('Content-Length');
      if (declared !== undefined && !c.req.header('Transfer-Encoding') && Number(declared) > maxSize) throw tooLarge(maxSize);
      const body = await readIncoming(incoming, maxSize);
      if (!body) throw tooLarge(maxSize);
      adoptBody(c, incoming, body);
      return next();
    }
    return forSize(maxSize)(c, next);
  };
}
