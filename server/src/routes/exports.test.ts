// Exports (导出) through the real app: each file holds exactly the rows the user's list holds
// (same scope, same filters), opens in exceljs with the Chinese headers, is audited, and bad
// input is a 4xx that writes nothing.
import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { call, fileCase, withCast, type Persona } from '../../../test/cases.ts';

const t = withCast('10.76.0');

const get = (who: Persona, path: string) => t.app.request(path, { headers: { ...t.cast.signed[who].headers, 'X-Forwarded-For': '10.76.1.1' } });

async function sheet(res: Response) {
  expect(res.status, await res.clone().text().catch(() => '')).toBe(200);
  expect(res.headers.get('Content-Type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(await res.arrayBuffer());
  const ws = book.worksheets[0];
  const rows: unknown[][] = [];
  ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return { name: ws.name, header: rows[0] as string[], body: rows.slice(1) };
}

/** The body as written, byte-order mark included (Response.text() drops it). */
const csvText = async (res: Response) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer());

const exportsAudited = async () =>
  (await t.db.query<{ actor: string; entity: string; after: any }>(`SELECT actor, entity, after FROM audit_log WHERE action = 'export' ORDER BY id`)).rows;

describe('the household register', () => {
  it('holds exactly the secretary\'s community, with the headers a person reads', async () => {
    const res = await get('secretary', '/api/exports/households');
    expect(res.headers.get('Content-Disposition')).toMatch(/filename\*=UTF-8''%E4%BD%8F%E6%88%B7%E5%90%8D%E5%86%8C-\d{4}-\d{2}-\d{2}\.xlsx/);
    const { name, header, body } = await sheet(res);
    expect(name).toBe('住户名册');
    expect(header.slice(0, 4)).toEqual(['住户编号', '户主', '联系电话', '地址']);
    const ids = (await t.db.query<{ id: number }>(
      'SELECT h.id FROM households h JOIN grids g ON g.id = h.grid_id WHERE g.community_id = $1 ORDER BY h.id', [t.cast.users.secretary.community_id])).rows.map((r) => r.id);
    expect(ids.length).toBeGreaterThan(100);
    expect(body.map((r) => r[0]).sort((a, b) => Number(a) - Number(b))).toEqual(ids);
    const community = (await t.db.query('SELECT name FROM communities WHERE id = $1', [t.cast.users.secretary.community_id])).rows[0].name;
    expect(body.every((r) => r[header.indexOf('社区')] === community)).toBe(true);
  });

  it('follows the list\'s filters: a grid worker\'s families in difficulty, as CSV', async () => {
    const res = await get('grid', '/api/exports/households?format=csv&difficulty=true');
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('text/csv; charset=UTF-8');
    const text = await csvText(res);
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const lines = text.slice(1).trimEnd().split('\r\n');
    expect(lines[0].startsWith('住户编号,户主,联系电话,地址')).toBe(true);
    const n = Number((await t.db.query('SELECT count(*) AS n FROM households WHERE grid_id = $1 AND in_difficulty', [t.cast.users.grid.grid_id])).rows[0].n);
    expect(n).toBeGreaterThan(0);
    expect(lines.length - 1).toBe(n);
    expect(res.headers.get('X-Export-Rows')).toBe(String(n));
  });

  it('is personal data: roles that do not see the register get a 403, the signed-out a 401', async () => {
    for (const who of ['leader', 'planner', 'deptAssigned', 'taskforce', 'member'] as const) {
      expect((await get(who, '/api/exports/households')).status, who).toBe(403);
    }
    expect((await t.app.request('/api/exports/households')).status).toBe(401);
  });
});

describe('cases and needs', () => {
  it('cases: the subdistrict admin\'s, as many as the list counts, with a formula kept as text', async () => {
    await fileCase(t.app, t.cast, { description: '=HYPERLINK("http://example.com","点我") 楼道堆物' });
    const list = await call(t.app, t.cast.signed.subdistrict, 'GET', '/api/cases?limit=1');
    const { header, body } = await sheet(await get('subdistrict', '/api/exports/cases'));
    expect(header.slice(0, 4)).toEqual(['案件编号', '类别', '紧急程度', '状态']);
    expect(body.length).toBe(list.body.total);
    const subdistrict = (await t.db.query('SELECT name FROM subdistricts WHERE id = $1', [t.cast.users.subdistrict.subdistrict_id])).rows[0].name;
    expect(body.every((r) => r[header.indexOf('街道')] === subdistrict)).toBe(true);
    const description = body.map((r) => r[header.indexOf('描述')]).find((d) => String(d).includes('HYPERLINK'));
    expect(description).toBe(`'=HYPERLINK("http://example.com","点我") 楼道堆物`);
  });

  it('cases: the filters narrow the file as they narrow the list; addresses only for who sees them', async () => {
    const q = 'status=submitted,dispatched,closed&category=garbage';
    const list = await call(t.app, t.cast.signed.leader, 'GET', `/api/cases?${q}&limit=1`);
    const { header, body } = await sheet(await get('leader', `/api/exports/cases?${q}`));
    expect(body.length).toBe(list.body.total);
    expect(header).not.toContain('地址');
    expect((await sheet(await get('secretary', '/api/exports/cases'))).header).toContain('地址');
  });

  it('needs: the secretary\'s, as CSV', async () => {
    const list = await call(t.app, t.cast.signed.secretary, 'GET', '/api/needs?limit=1');
    const res = await get('secretary', '/api/exports/needs?format=csv');
    expect(res.status).toBe(200);
    const lines = (await csvText(res)).slice(1).trimEnd().split('\r\n');
    expect(lines[0].split(',').slice(0, 5)).toEqual(['需求编号', '标题', '描述', '类别', '状态']);
    expect(lines.length - 1).toBe(list.body.total);
  });

  it('every export is in the audit log: who, what, the filters and how many rows', async () => {
    const before = (await exportsAudited()).length;
    const res = await get('secretary', '/api/exports/needs?status=gathered');
    expect(res.status).toBe(200);
    const after = await exportsAudited();
    expect(after.length).toBe(before + 1);
    expect(after.at(-1)).toMatchObject({
      actor: expect.stringMatching(/^secretary-/), entity: 'need',
      after: { format: 'xlsx', rows: Number(res.headers.get('X-Export-Rows')), filters: { status: ['gathered'] } },
    });
  });
});

describe('三级考评', () => {
  it('the leader\'s subdistricts ranked, each score with its rates and the counts behind them', async () => {
    const kpis = await call(t.app, t.cast.signed.leader, 'GET', '/api/kpis?group=subdistrict');
    const { name, header, body } = await sheet(await get('leader', '/api/exports/kpis?group=subdistrict'));
    expect(name).toBe('三级考评');
    expect(header.slice(0, 3)).toEqual(['排名', '街道', '得分']);
    // The units the evaluation ranks: those with cases in the period (the test data has the ones filed above).
    const units = kpis.body.units as { name: string; score: number | null; rank: number | null; cases: number; counts: Record<string, number> }[];
    expect(units.length).toBeGreaterThan(0);
    expect(body).toHaveLength(units.length);
    for (const r of body) {
      const u = units.find((x) => x.name === r[1])!;
      expect(r[0] ?? null).toBe(u.rank);
      expect(r[2] ?? null).toBe(u.score);
      expect(r[header.indexOf('受理案件')]).toBe(u.cases);
      expect(r[header.indexOf('满意')]).toBe(u.counts.satisfied);
    }
    expect(header.some((h) => /^满意率（%，权重 \d+(\.\d+)?）$/.test(h))).toBe(true);
  });

  it('a secretary\'s grids, as CSV; another community\'s is a 404', async () => {
    const res = await get('secretary', '/api/exports/kpis?group=grid&format=csv');
    expect(res.status).toBe(200);
    const lines = (await csvText(res)).slice(1).trimEnd().split('\r\n');
    const kpis = await call(t.app, t.cast.signed.secretary, 'GET', '/api/kpis?group=grid');
    expect(kpis.body.units.length).toBeGreaterThan(0);
    expect(lines.length - 1).toBe(kpis.body.units.length);
    expect(lines[0].split(',').slice(0, 3)).toEqual(['排名', '网格', '得分']);
    const other = await get('secretary', `/api/exports/kpis?level=community&id=${t.cast.users.otherSecretary.community_id}&group=grid`);
    expect(other.status).toBe(404);
  });
});

describe('bad input', () => {
  it('is a 4xx with a message a person reads, and writes nothing', async () => {
    const before = (await exportsAudited()).length;
    const bad: [Persona, string, number, RegExp][] = [
      ['secretary', '/api/exports/cases?format=pdf', 400, /xlsx 或 csv/],
      ['secretary', '/api/exports/cases?limit=10', 400, /limit/],
      ['secretary', '/api/exports/cases?status=lost', 400, /未知的状态/],
      ['secretary', '/api/exports/households?grid=abc', 400, /grid/],
      ['secretary', `/api/exports/households?community=${t.cast.users.otherSecretary.community_id}`, 404, /不存在/],
      ['grid', `/api/exports/cases?community=${t.cast.users.otherSecretary.community_id}`, 404, /不存在/],
      ['secretary', '/api/exports/needs?stalled=yes', 400, /stalled/],
      ['secretary', '/api/exports/registers', 404, /没有这个接口/],
      ['leader', '/api/exports/kpis?group=street', 400, /group/],
      ['leader', '/api/exports/kpis?from=2026-13-01', 400, /日期/],
      ['leader', '/api/exports/kpis?level=city&id=3', 400, /level=city/],
    ];
    for (const [who, path, status, message] of bad) {
      const res = await get(who, path);
      expect(res.status, path).toBe(status);
      expect(((await res.json()) as { error: string }).error, path).toMatch(message);
    }
    expect((await exportsAudited()).length).toBe(before);
  });
});
