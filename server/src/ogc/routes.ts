// OGC API – Features, Part 1 (Core, GeoJSON, OpenAPI 3.0), mounted at /ogc: what GIS software
// (QGIS, GDAL's OAPIF driver) opens as a layer source. The landing page, conformance and the API
// definition describe the service and hold no data, so they answer anyone; the collections and
// their features need a signed-in caller and show only that caller's scope (ogc/collections.ts).
// Errors are the standard's { code, description } (http/errors.ts), every request is a GET.
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { HTTPException } from 'hono/http-exception';
import {
  OGC_COLLECTIONS, OGC_DEFAULT_LIMIT, idParam, ogcItemsQuery, ogcMetaQuery, ROLE_LABELS,
} from '@grid-atlas/contract';
import type { User } from '../auth/scope.ts';
import { lookupSession, SESSION_COOKIE } from '../auth/sessions.ts';
import { lookupToken } from '../auth/tokens.ts';
import type { Db } from '../db/index.ts';
import { badRequest, notFound } from '../http/errors.ts';
import { validQuery } from '../http/validate.ts';
import { COLLECTIONS, collectionById, extentOf, item, items, mayRead, type CollectionDef } from './collections.ts';
import { openApiDocument } from './openapi.ts';

export interface OgcEnv {
  Variables: { user?: User };
}

export interface OgcOptions {
  /** Believe X-Forwarded-Proto and X-Forwarded-Host when writing links (behind a reverse proxy). */
  trustProxy?: boolean;
}

const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';
const JSON_TYPE = 'application/json';
const GEOJSON_TYPE = 'application/geo+json';
const OPENAPI_TYPE = 'application/vnd.oai.openapi+json;version=3.0';
export const CONFORMANCE = [
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
];

/**
 * Who is calling: a personal access token (Authorization: Bearer, what GIS software sends), or
 * the session cookie of a signed-in browser. A credential that is sent but not valid (revoked,
 * expired, signed out, malformed) is a 401 even where none is needed, so a client learns at
 * once that its credential is stale rather than seeing an anonymous answer. Tokens are accepted
 * here only: the /api routes know sessions alone.
 */
export function ogcCaller(db: Db): MiddlewareHandler<OgcEnv> {
  return async (c, next) => {
    const authorization = c.req.header('Authorization');
    if (authorization !== undefined) {
      const m = /^Bearer +(\S+) *$/i.exec(authorization);
      if (!m) throw unauthorized('Authorization 应为 "Bearer <令牌>" (the Authorization header must be "Bearer <token>")');
      const user = await lookupToken(db, m[1]);
      if (!user) throw unauthorized('令牌无效或已撤销 (the access token is unknown or has been revoked)');
      c.set('user', user);
      return next();
    }
    const token = getCookie(c, SESSION_COOKIE);
    if (token) {
      const found = await lookupSession(db, token);
      if (!found) throw unauthorized('登录已过期，请重新登录 (the session has expired; sign in again)');
      c.set('user', found.user);
    }
    await next();
  };
}

function unauthorized(message: string): HTTPException {
  const res = new Response(null, { status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="grid-atlas"' } });
  return new HTTPException(401, { message, res });
}

function signedIn(c: Context<OgcEnv>): User {
  const u = c.get('user');
  if (!u) throw unauthorized('请先登录，或使用个人访问令牌 (sign in first, or send a personal access token as Authorization: Bearer)');
  return u;
}

/** The collection, when it exists (404) and the caller's role may read it (403). */
function readable(c: Context<OgcEnv>, u: User): CollectionDef {
  const id = c.req.param('collectionId') ?? '';
  const def = collectionById(id);
  if (!def) throw notFound(`没有这个集合 (no collection "${id.slice(0, 60)}"; there are ${OGC_COLLECTIONS.join(', ')})`);
  if (!mayRead(def, u)) {
    const who = def.roles!.map((r) => ROLE_LABELS[r]).join('、');
    throw new HTTPException(403, { message: `只有${who}可以查看${def.title} (only ${def.roles!.join(', ')} may read ${def.id})` });
  }
  return def;
}

export function ogcRoutes(db: Db, options: OgcOptions = {}) {
  const base = (c: Context): string => {
    const url = new URL(c.req.url);
    let origin = url.origin;
    if (options.trustProxy) {
      const proto = c.req.header('X-Forwarded-Proto')?.split(',')[0].trim();
      const host = c.req.header('X-Forwarded-Host')?.split(',')[0].trim();
      if ((proto === 'http' || proto === 'https') && host && /^[A-Za-z0-9.:[\]-]+$/.test(host)) origin = `${proto}://${host}`;
      else if (proto === 'http' || proto === 'https') origin = `${proto}://${url.host}`;
    }
    return `${origin}/ogc`;
  };

  const collectionJson = async (c: Context, def: CollectionDef, u: User) => {
    const root = base(c);
    const extent = await extentOf(await db.forReading(), def, u);
    return {
      id: def.id,
      title: def.title,
      description: def.description,
      itemType: 'feature',
      crs: [CRS84],
      storageCrs: CRS84,
      extent: {
        ...(extent.bbox ? { spatial: { bbox: [extent.bbox], crs: CRS84 } } : {}),
        ...(extent.interval ? { temporal: { interval: [extent.interval], trs: 'http://www.opengis.net/def/uom/ISO-8601/0/Gregorian' } } : {}),
      },
      links: [
        { href: `${root}/collections/${def.id}`, rel: 'self', type: JSON_TYPE, title: def.title },
        { href: `${root}/collections/${def.id}/items`, rel: 'items', type: GEOJSON_TYPE, title: `${def.title}要素 (features)` },
      ],
    };
  };

  return new Hono<OgcEnv>()
    .use(ogcCaller(db))
    .get('/', validQuery(ogcMetaQuery), (c) => {
      const root = base(c);
      return c.json({
        title: '网格一张图 OGC API – Features',
        description: '街道、社区、网格、街区、案件和网格调整方案草稿，按登录用户的管辖范围提供 (subdistricts, communities, grids, blocks, cases and plan drafts, in the caller\'s scope)',
        links: [
          { href: root, rel: 'self', type: JSON_TYPE, title: '本页 (this document)' },
          { href: `${root}/api`, rel: 'service-desc', type: OPENAPI_TYPE, title: 'OpenAPI 3.0 定义 (the API definition)' },
          { href: `${root}/conformance`, rel: 'conformance', type: JSON_TYPE, title: '符合的标准类 (conformance classes)' },
          { href: `${root}/collections`, rel: 'data', type: JSON_TYPE, title: '数据集合 (collections)' },
        ],
      });
    })
    .get('/conformance', validQuery(ogcMetaQuery), (c) => c.json({ conformsTo: CONFORMANCE }))
    .get('/api', validQuery(ogcMetaQuery), (c) => {
      c.header('Content-Type', OPENAPI_TYPE);
      return c.body(JSON.stringify(openApiDocument(base(c))));
    })
    .get('/collections', validQuery(ogcMetaQuery), async (c) => {
      const u = signedIn(c);
      const root = base(c);
      const collections = [];
      for (const def of COLLECTIONS) if (mayRead(def, u)) collections.push(await collectionJson(c, def, u));
      return c.json({
        links: [{ href: `${root}/collections`, rel: 'self', type: JSON_TYPE, title: '数据集合 (collections)' }],
        collections,
      });
    })
    .get('/collections/:collectionId', validQuery(ogcMetaQuery), async (c) => {
      const u = signedIn(c);
      return c.json(await collectionJson(c, readable(c, u), u));
    })
    .get('/collections/:collectionId/items', validQuery(ogcItemsQuery), async (c) => {
      const u = signedIn(c);
      const def = readable(c, u);
      const q = c.req.valid('query');
      const limit = q.limit ?? OGC_DEFAULT_LIMIT;
      const offset = q.offset ?? 0;
      const page = await items(await db.forReading(), def, u, { bbox: q.bbox, datetime: q.datetime, limit, offset });
      // Links repeat the caller's own parameters (as sent) with the page moved.
      const raw = c.req.query();
      const href = (at: number | null) => {
        const params = new URLSearchParams();
        for (const key of ['f', 'bbox', 'datetime', 'limit'] as const) if (raw[key] !== undefined) params.set(key, raw[key]);
        if (at !== null && at > 0) params.set('offset', String(at));
        const s = params.toString();
        return `${base(c)}/collections/${def.id}/items${s ? `?${s}` : ''}`;
      };
      const links: { href: string; rel: string; type: string; title: string }[] = [
        { href: href(offset), rel: 'self', type: GEOJSON_TYPE, title: '本页 (this page)' },
        { href: `${base(c)}/collections/${def.id}`, rel: 'collection', type: JSON_TYPE, title: def.title },
      ];
      if (offset + page.returned < page.matched) links.push({ href: href(offset + limit), rel: 'next', type: GEOJSON_TYPE, title: '下一页 (next page)' });
      if (offset > 0) links.push({ href: href(Math.max(0, offset - limit)), rel: 'prev', type: GEOJSON_TYPE, title: '上一页 (previous page)' });
      c.header('Content-Type', GEOJSON_TYPE);
      c.header('Content-Crs', `<${CRS84}>`);
      // The features are spliced in as PostgreSQL wrote them: no parse and re-serialise.
      const head = JSON.stringify({
        type: 'FeatureCollection', numberMatched: page.matched, numberReturned: page.returned,
        timeStamp: new Date().toISOString(), links,
      });
      return c.body(`${head.slice(0, -1)},"features":${page.features}}`);
    })
    .get('/collections/:collectionId/items/:featureId', validQuery(ogcMetaQuery), async (c) => {
      const u = signedIn(c);
      const def = readable(c, u);
      const raw = c.req.param('featureId');
      const parsed = idParam.safeParse(raw);
      if (!parsed.success) throw badRequest(`featureId: 应为正整数 id (expected a positive integer id)`);
      const feature = await item(await db.forReading(), def, u, parsed.data);
      if (!feature) throw notFound(`${def.title} ${parsed.data} 不存在或不在您的管辖范围内 (no ${def.id} feature ${parsed.data} in your scope)`);
      const root = base(c);
      const links = [
        { href: `${root}/collections/${def.id}/items/${parsed.data}`, rel: 'self', type: GEOJSON_TYPE, title: '本要素 (this feature)' },
        { href: `${root}/collections/${def.id}`, rel: 'collection', type: JSON_TYPE, title: def.title },
      ];
      c.header('Content-Type', GEOJSON_TYPE);
      c.header('Content-Crs', `<${CRS84}>`);
      return c.body(`${feature.slice(0, -1)},"links":${JSON.stringify(links)}}`);
    });
}
