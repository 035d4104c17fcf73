// The OpenAPI 3.0 definition of the OGC API (its service-desc): the paths, their parameters
// with the same limits the zod schemas enforce, and the response types. GDAL reads the items
// path's limit parameter from here to choose its page size.
import { OGC_COLLECTIONS, OGC_DEFAULT_LIMIT, OGC_MAX_LIMIT } from '@grid-atlas/contract';

const json = (description: string, schema: object = { type: 'object' }) => ({ description, content: { 'application/json': { schema } } });
const geojson = (description: string) => ({ description, content: { 'application/geo+json': { schema: { type: 'object' } } } });
const error = { $ref: '#/components/responses/Error' };
const errors = (...codes: number[]) => Object.fromEntries(codes.map((c) => [String(c), error]));

export function openApiDocument(base: string) {
  const f = { $ref: '#/components/parameters/f' };
  const collectionId = { $ref: '#/components/parameters/collectionId' };
  return {
    openapi: '3.0.3',
    info: {
      title: '网格一张图 OGC API – Features',
      version: '1.0.0',
      description: 'Subdistricts, communities, grids, blocks, cases and grid plan drafts as GeoJSON features in WGS 84 (CRS84), '
        + 'each caller seeing the rows of their own scope. Authenticate with the session cookie of a signed-in browser, '
        + 'or with a personal access token as "Authorization: Bearer <token>".',
    },
    servers: [{ url: base }],
    components: {
      securitySchemes: {
        cookie: { type: 'apiKey', in: 'cookie', name: 'ga_session' },
        bearer: { type: 'http', scheme: 'bearer' },
      },
      parameters: {
        f: { name: 'f', in: 'query', required: false, schema: { type: 'string', enum: ['json', 'geojson'] }, style: 'form', explode: false },
        collectionId: { name: 'collectionId', in: 'path', required: true, schema: { type: 'string', enum: [...OGC_COLLECTIONS] } },
        featureId: { name: 'featureId', in: 'path', required: true, schema: { type: 'integer', minimum: 1, maximum: 2_147_483_647 } },
        limit: {
          name: 'limit', in: 'query', required: false, style: 'form', explode: false,
          schema: { type: 'integer', minimum: 1, maximum: OGC_MAX_LIMIT, default: OGC_DEFAULT_LIMIT },
        },
        offset: { name: 'offset', in: 'query', required: false, style: 'form', explode: false, schema: { type: 'integer', minimum: 0, maximum: 9_999_999, default: 0 } },
        bbox: {
          name: 'bbox', in: 'query', required: false, style: 'form', explode: false,
          schema: { type: 'array', minItems: 4, maxItems: 6, items: { type: 'number' } },
        },
        datetime: { name: 'datetime', in: 'query', required: false, style: 'form', explode: false, schema: { type: 'string' } },
      },
      responses: {
        Error: json('OGC exception', {
          type: 'object', required: ['code', 'description'],
          properties: { code: { type: 'string' }, description: { type: 'string' } },
        }),
      },
    },
    security: [{ cookie: [] }, { bearer: [] }],
    paths: {
      '/': { get: { operationId: 'getLandingPage', summary: 'Landing page', security: [], parameters: [f], responses: { 200: json('The landing page'), ...errors(400) } } },
      '/conformance': { get: { operationId: 'getConformance', summary: 'Conformance classes', security: [], parameters: [f], responses: { 200: json('The conformance classes'), ...errors(400) } } },
      '/api': {
        get: {
          operationId: 'getApi', summary: 'This API definition', security: [], parameters: [f],
          responses: { 200: { description: 'OpenAPI 3.0', content: { 'application/vnd.oai.openapi+json;version=3.0': { schema: { type: 'object' } } } }, ...errors(400) },
        },
      },
      '/collections': { get: { operationId: 'getCollections', summary: 'The collections the caller may read', parameters: [f], responses: { 200: json('The collections'), ...errors(400, 401) } } },
      '/collections/{collectionId}': {
        get: { operationId: 'describeCollection', summary: 'One collection', parameters: [collectionId, f], responses: { 200: json('The collection'), ...errors(400, 401, 403, 404) } },
      },
      '/collections/{collectionId}/items': {
        get: {
          operationId: 'getFeatures', summary: 'Features of a collection, in the caller\'s scope',
          parameters: [collectionId, f, { $ref: '#/components/parameters/limit' }, { $ref: '#/components/parameters/offset' },
            { $ref: '#/components/parameters/bbox' }, { $ref: '#/components/parameters/datetime' }],
          responses: { 200: geojson('A page of features'), ...errors(400, 401, 403, 404) },
        },
      },
      '/collections/{collectionId}/items/{featureId}': {
        get: {
          operationId: 'getFeature', summary: 'One feature',
          parameters: [collectionId, { $ref: '#/components/parameters/featureId' }, f],
          responses: { 200: geojson('The feature'), ...errors(400, 401, 403, 404) },
        },
      },
    },
  };
}
