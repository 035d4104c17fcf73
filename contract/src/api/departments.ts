// GET /api/departments: the city's departments (职能部门), the units a case is dispatched or
// whistled to. Public names, no personal data: every signed-in role may read them.
import { z } from 'zod';

export const department = z.object({ id: z.number(), code: z.string(), name: z.string() });
export type Department = z.infer<typeof department>;
export const departmentList = z.object({ departments: z.array(department) });
export type DepartmentList = z.infer<typeof departmentList>;
