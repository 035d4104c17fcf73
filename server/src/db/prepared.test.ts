// Named statements (db/index.ts prepared()) on both backends. On the embedded database every
// connection shares PGlite's one session, where a statement's name outlives its connection.
import { afterAll, describe, expect, it } from 'vitest';
import { openTestDb } from '../../../test/db.ts';
import { prepared, type Db } from './index.ts';

const opened: Db[] = [];
const open = async () => {
  const db = await openTestDb();
  opened.push(db);
  return db;
};
afterAll(() => Promise.all(opened.map((db) => db.close())));

describe('prepared statements', () => {
  it('run under one name on several connections, and again on a connection that replaced a closed one', async () => {
    const plusOne = prepared('prepared-test-plus-one', 'SELECT $1::int + 1 AS n');
    const a = await open();
    const b = await open();
    expect((await a.query(plusOne, [1])).rows[0].n).toBe(2);
    expect((await b.query(plusOne, [2])).rows[0].n).toBe(3);
    // Runs again on the connection that prepared it, in a transaction as well.
    expect((await a.query(plusOne, [3])).rows[0].n).toBe(4);
    expect(await a.withTransaction(async (c) => (await c.query(plusOne, [4])).rows[0].n)).toBe(5);
    opened.splice(opened.indexOf(a), 1);
    await a.close();
    const c = await open();
    expect((await c.query(plusOne, [5])).rows[0].n).toBe(6);
  });

  it('pass a query without a name through as it is', async () => {
    const db = await open();
    // A plain config without a name is passed through untouched.
    expect((await db.query({ text: 'SELECT 7 AS n' } as never)).rows[0].n).toBe(7);
  });
});
