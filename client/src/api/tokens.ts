// Personal access tokens (server/src/routes/tokens.ts): the signed-in user's own, for reading
// the OGC API (/ogc) from QGIS or GDAL. A token is in the answer to creating it, and never again.
import type { CreatedToken, TokenSummary } from '@grid-atlas/contract';
import { api } from './client';
import { readJson } from './http';

export type { CreatedToken, TokenSummary } from '@grid-atlas/contract';

export async function fetchTokens(): Promise<TokenSummary[]> {
  return (await readJson(api.tokens.$get({ query: {} }))).tokens;
}

export function createToken(name: string): Promise<CreatedToken> {
  return readJson(api.tokens.$post({ json: { name } }));
}

export function revokeToken(id: number): Promise<TokenSummary> {
  return readJson(api.tokens[':id'].revoke.$post({ param: { id: String(id) } }));
}
