// Password hashing with scrypt (node:crypto), a memory-hard KDF: N=2^15, r=8 → 32 MiB and
// ~100 ms per hash, which makes offline guessing expensive. Stored as
// scrypt$N$r$p$salt$hash (base64url) so parameters can be raised later per hash.
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const N = 2 ** 15, R = 8, P = 1, KEYLEN = 32;

function scrypt(password: string, salt: Buffer, keylen: number, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(password.normalize('NFKC'), salt, keylen, opts, (err, key) => (err ? reject(err) : resolve(key))));
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEYLEN, { N, r: R, p: P, maxmem: 128 * N * R * 2 });
  return ['scrypt', N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await scrypt(password, Buffer.from(salt, 'base64url'), expected.length, {
    N: Number(n), r: Number(r), p: Number(p), maxmem: 128 * Number(n) * Number(r) * 2,
  });
  return timingSafeEqual(key, expected);
}

/** Minimum rules for a new password; the message is shown to the person choosing it. */
export function passwordProblem(password: string): string | null {
  if (password.length < 10) return '密码至少 10 个字符 (a password needs at least 10 characters)';
  if (password === 'enshi-demo') return '不能使用演示密码 (the demo password cannot be used)';
  return null;
}
