// The resources list (资源清单): server/src/routes/resources.ts. Bodies and rows are the
// contract's types.
import type { ResourceBody, ResourcePatchBody, ResourceRow } from '@grid-atlas/contract';
import { fetchWith, readUntypedJson } from './http';

const call = fetchWith();

const json = readUntypedJson;

export async function fetchResources(department?: number): Promise<ResourceRow[]> {
  const q = department ? `?department=${department}` : '';
  return (await json<{ resources: ResourceRow[] }>(call(`/api/resources${q}`))).resources;
}

export function createResource(body: ResourceBody): Promise<ResourceRow> {
  return json(call('/api/resources', { method: 'POST', body: JSON.stringify(body) }));
}

export function updateResource(id: number, body: ResourcePatchBody): Promise<ResourceRow> {
  return json(call(`/api/resources/${id}`, { method: 'PATCH', body: JSON.stringify(body) }));
}
