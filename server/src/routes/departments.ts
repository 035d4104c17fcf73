// GET /api/departments: the departments a case can be dispatched or whistled to (the case
// inbox's dispatch and whistle forms list them). Names only; every signed-in role reads them.
import { Hono } from 'hono';
import type { DepartmentList } from '@grid-atlas/contract';
import type { Db } from '../db/index.ts';
import type { AppEnv } from '../http/env.ts';

export function departmentRoutes(db: Db) {
  return new Hono<AppEnv>().get('/departments', async (c) => {
    const { rows } = await db.query<DepartmentList['departments'][number]>('SELECT id, code, name FROM departments ORDER BY code');
    c.header('Cache-Control', 'private, max-age=300');
    const body: DepartmentList = { departments: rows };
    return c.json(body);
  });
}
