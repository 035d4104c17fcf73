// Run before every test file (vitest.config.ts: setupFiles). The files of a run share one process
// (isolate: false), so a file that changed the process's environment variables (TZ, say) or the
// interface's language, and did not put them back, would change what the files after it test.
// This fails that file instead, naming what it left behind.
import { afterAll, expect } from 'vitest';
import { currentLocale } from '../client/src/i18n/index.ts';

const env = { ...process.env };
const locale = currentLocale();

afterAll(() => {
  expect({ ...process.env }, 'this test file changed environment variables and did not put them back').toEqual(env);
  expect(currentLocale(), 'this test file changed the interface language and did not put it back').toBe(locale);
});
