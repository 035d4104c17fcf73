// A source check, no browser: the client never writes a case level as its label with 级 appended
// ("市级" + "级" read 市级级 in the cases filter and the command centre's case card); it uses the
// contract's CASE_LEVEL_TIERS.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

describe('case levels in the client', () => {
  it('are never a level label with 级 appended', () => {
    const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../client/src');
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.(vue|ts)$/.test(e.name) && /LEVEL_LABELS\[[^\]]*\]\s*(\}\}|\})\s*级/.test(fs.readFileSync(p, 'utf8'))) offenders.push(path.relative(root, p));
      }
    };
    walk(root);
    expect(offenders).toEqual([]);
  });
});
