// The resources list (资源清单): server/src/routes/resources.ts, through the typed `hc` client:
// bodies and answers are the contract's types.
import type { ResourceBody, ResourcePatchBody, ResourceRow } from '@grid-atlas/contract';
import { api } from './client';
import { readJson } from './http';

export async function fetchResources(department?: number): Promise<ResourceRow[]> {
  return (await readJson(api.resources.$get({ query: department ? { department: String(department) } : {} }))).resources;
}

export function createResource(body: ResourceBody): Promise<ResourceRow> {
  return readJson(api.resources.$post({ json: body }));
}

export function updateResource(id: number, body: ResourcePatchBody): Promise<ResourceRow> {
  return readJson(api.resources[':id'].$patch({ param: { id: String(id) }, json: body }));
}
