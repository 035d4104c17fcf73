import { z } from 'zod';

/** Every 4xx/5xx JSON body: one message in Chinese with its English in parentheses. */
export const errorBody = z.object({ error: z.string() });
export type ErrorBody = z.infer<typeof errorBody>;
