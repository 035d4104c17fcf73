// NODE_ENV=production refuses to start while an account still has the published demo password.
import { describe, expect, it } from 'vitest';
import { testDbEnv } from '../test/db.ts';
import { startServer } from './support/server.ts';

describe('production mode', () => {
  it('refuses to start while demo passwords are active', async () => {
    const err = await startServer({ ...testDbEnv(), NODE_ENV: 'production' }, 120_000).catch((e) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toMatch(/exited with 1/);
    expect(err.message).toMatch(/demo password/);
  });
});
