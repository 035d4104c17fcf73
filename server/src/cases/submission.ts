// Reading a filed case from a request: JSON, or multipart/form-data with up to 4 `photo` files
// (the staff's form and the residents' report page send the same shape), and the photos checked
// and re-encoded before any transaction starts, so the database is never held for image work.
import { HTTPException } from 'hono/http-exception';
import { PHOTO_LIMITS } from '@grid-atlas/contract';
import { badRequest } from '../http/errors.ts';
import { isJsonContentType } from '../http/text-input.ts';
import { processPhoto, type ProcessedPhoto } from './photos.ts';

export async function readSubmission(c: { req: { header(n: string): string | undefined; json(): Promise<unknown>; parseBody(o: { all: true }): Promise<Record<string, unknown>> } }) {
  const type = c.req.header('Content-Type') ?? '';
  if (isJsonContentType(type)) {
    return { fields: await c.req.json().catch(() => { throw badRequest('请求体不是有效的 JSON (the body is not valid JSON)'); }), files: [] as File[] };
  }
  if (/^\s*multipart\/form-data\s*(;|$)/i.test(type)) {
    const form = await c.req.parseBody({ all: true }).catch(() => { throw badRequest('无法解析表单 (the multipart form could not be read)'); });
    const fields: Record<string, unknown> = {};
    const files: File[] = [];
    for (const [key, value] of Object.entries(form)) {
      const values = Array.isArray(value) ? value : [value];
      if (key === 'photo') {
        for (const v of values) {
          if (!(v instanceof File)) throw badRequest('photo 应为文件 (photo must be a file)');
          files.push(v);
        }
        continue;
      }
      if (values.length !== 1 || typeof values[0] !== 'string') throw badRequest(`${key}: 应为一个文本字段 (expected one text field)`);
      const s = values[0];
      // Form fields are text; the numbers are numbers in the JSON schema.
      fields[key] = (key === 'lon' || key === 'lat') && /^-?\d+(\.\d+)?$/.test(s.trim()) ? Number(s) : s;
    }
    return { fields, files };
  }
  throw new HTTPException(415, { message: '请以 JSON 或 multipart/form-data 提交 (send application/json or multipart/form-data)' });
}

/** At most 4 photos of at most 5 MB each, decoded, stripped of metadata and re-encoded. */
export async function readPhotos(files: readonly File[]): Promise<ProcessedPhoto[]> {
  if (files.length > PHOTO_LIMITS.maxCount) throw badRequest(`每个案件最多 ${PHOTO_LIMITS.maxCount} 张照片 (at most ${PHOTO_LIMITS.maxCount} photos per case)`);
  const photos: ProcessedPhoto[] = [];
  for (const [i, f] of files.entries()) {
    if (f.size > PHOTO_LIMITS.maxBytes) throw new HTTPException(413, { message: `第 ${i + 1} 张照片超过 5 MB (photo ${i + 1} is larger than 5 MB)` });
    photos.push(await processPhoto(new Uint8Array(await f.arrayBuffer()), String(i + 1)));
  }
  return photos;
}
