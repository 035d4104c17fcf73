// A multipart form's fields, read once: a body limit's 413 passes through; a form that cannot be
// parsed is a 400 in words (the upload routes: plan files and city boundaries).
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { badRequest } from './errors.ts';

export type FormFields = Record<string, string | File | (string | File)[]>;

export async function readForm(c: Context): Promise<FormFields> {
  try {
    return await c.req.parseBody({ all: true });
  } catch (err) {
    if (err instanceof HTTPException) throw err;
    throw badRequest('无法解析表单 (the form could not be read)');
  }
}
