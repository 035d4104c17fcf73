// Reports to take away (导出): the household register, cases and needs as .xlsx or CSV with
// Chinese headers.
//   GET /exports/households[?format=&community=&grid=&q=&difficulty=&unlinked=]  area roles only
//   GET /exports/cases[?format=&status=&category=&level=&overdue=&grid=&community=&subdistrict=&department=&q=]
//   GET /exports/needs[?format=&status=&community=&stalled=1]
//   GET /exports/kpis[?format=&level=&id=&from=&to=&group=]  三级考评: the units ranked, with the
//       source figures of every score
// Each runs the very query of its list (same filters, same scope in SQL), for every row instead
// of one page, so an export holds exactly what the user could page through. Every export is
// written to the audit log (who, what, which filters, how many rows): personal data that leaves
// the system must leave a trace.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import {
  CADRE_KIND_LABELS, CASE_LEVEL_LABELS, CASE_MODE_LABELS, CASE_PRIORITY_LABELS, CASE_STATUS_LABELS, NEED_BODY_LABELS,
  KPI_RATES, NEED_STATUS_LABELS, kpiQuery, needListQuery, recordsQuery,
  type AuditEntity, type KpiRate, type KpiResponse, type KpiUnit, type CaseLevel, type CaseRow, type CaseMode, type CasePriority, type CaseStatus, type HouseholdRecord, type NeedRow,
} from '@grid-atlas/contract';
import { audit } from '../audit/index.ts';
import { requirePersonalData } from '../auth/authorize.ts';
import { assertVisible, scopeParams } from '../auth/scope.ts';
import type { Db, Queryable } from '../db/index.ts';
import { clientIp } from '../http/client-ip.ts';
import type { AppEnv } from '../http/env.ts';
import { badRequest } from '../http/errors.ts';
import { validQuery } from '../http/validate.ts';
import {
  attachment, CONTENT_TYPES, EXPORT_FORMATS, shanghaiTime, toCsv, toXlsx, yesNo, type Column, type ExportFormat,
} from '../exports/sheet.ts';
import { listCases, listQuery } from './cases.ts';
import { RECORDS_SQL } from './community.ts';
import { listNeeds } from './needs.ts';
import { userKpis } from './kpis.ts';
import { KpiCache } from '../kpis/cache.ts';

/**
 * More rows than this is a report nobody reads and a workbook that takes seconds to build: the
 * user is asked to narrow the filters. The city's register is ~95,000 households, so a whole
 * subdistrict (the widest scope that sees the register) always fits.
 */
export const EXPORT_MAX_ROWS = 100_000;

const format = { format: z.enum(EXPORT_FORMATS, { message: '格式应为 xlsx 或 csv (format: xlsx or csv)' }).optional() };
const householdsExportQuery = recordsQuery.omit({ limit: true, offset: true }).extend(format).strict();
const casesExportQuery = listQuery.omit({ limit: true, offset: true, near: true }).extend(format).strict();
const needsExportQuery = needListQuery.omit({ limit: true, offset: true }).extend(format).strict();
const kpisExportQuery = kpiQuery.extend(format).strict();

/** Names of the units a row refers to by id, for the columns a person reads. */
async function unitNames(db: Queryable) {
  const { rows } = await db.query<{ kind: string; id: number; name: string }>(
    `SELECT 's' AS kind, id, name FROM subdistricts UNION ALL SELECT 'c', id, name FROM communities
     UNION ALL SELECT 'g', id, name FROM grids UNION ALL SELECT 'd', id, name FROM departments`);
  const names = new Map(rows.map((r) => [`${r.kind}${r.id}`, r.name]));
  return (kind: 's' | 'c' | 'g' | 'd', id: number | null | undefined) => (id == null ? null : names.get(`${kind}${id}`) ?? null);
}

const LINK_LABELS: Record<string, string> = { difficulty: '困难帮扶', neighbour: '联系邻户', branch: '片区支部' };

function householdColumns(name: Awaited<ReturnType<typeof unitNames>>): Column<HouseholdRecord>[] {
  return [
    { header: '住户编号', value: (h) => h.id, width: 10 },
    { header: '户主', value: (h) => h.head_name, width: 10 },
    { header: '联系电话', value: (h) => h.phone, width: 14 },
    { header: '地址', value: (h) => h.address, width: 28 },
    { header: '楼栋', value: (h) => h.building, width: 12 },
    { header: '人口', value: (h) => h.size, width: 6 },
    { header: '困难家庭', value: (h) => yesNo(h.in_difficulty), width: 8 },
    { header: '社区', value: (h) => name('c', h.community_id), width: 14 },
    { header: '网格', value: (h) => h.grid_name, width: 14 },
    { header: '联系干部', width: 40,
      value: (h) => h.cadres.map((c) => `${c.name}（${CADRE_KIND_LABELS[c.kind]}·${LINK_LABELS[c.link] ?? c.link}）`).join('；') },
    { header: '经度', value: (h) => h.lon, width: 11 },
    { header: '纬度', value: (h) => h.lat, width: 10 },
  ];
}

function caseColumns(name: Awaited<ReturnType<typeof unitNames>>, personal: boolean): Column<CaseRow>[] {
  return [
    { header: '案件编号', value: (r) => r.number, width: 16 },
    { header: '类别', value: (r) => r.category_name, width: 12 },
    { header: '紧急程度', value: (r) => CASE_PRIORITY_LABELS[r.priority as CasePriority] ?? r.priority, width: 8 },
    { header: '状态', value: (r) => CASE_STATUS_LABELS[r.status as CaseStatus] ?? r.status, width: 8 },
    { header: '处置层级', value: (r) => CASE_LEVEL_LABELS[r.level as CaseLevel] ?? r.level, width: 8 },
    { header: '处置方式', value: (r) => (r.mode ? CASE_MODE_LABELS[r.mode as CaseMode] ?? r.mode : null), width: 10 },
    { header: '描述', value: (r) => r.description, width: 40 },
    // Addresses are personal: the column is there only for roles that see them, as in the list.
    ...(personal ? [{ header: '地址', value: (r: CaseRow) => r.address ?? null, width: 24 }] : []),
    { header: '街道', value: (r) => name('s', r.subdistrict_id), width: 10 },
    { header: '社区', value: (r) => name('c', r.community_id), width: 14 },
    { header: '网格', value: (r) => name('g', r.grid_id), width: 14 },
    { header: '承办单位', value: (r) => name('d', r.assigned_department_id), width: 16 },
    { header: '上报时间', value: (r) => shanghaiTime(r.created_at), width: 17 },
    { header: '办结时间', value: (r) => shanghaiTime(r.resolved_at), width: 17 },
    { header: '超期', value: (r) => yesNo(r.overdue), width: 6 },
    { header: '评价', value: (r) => r.rating ?? null, width: 6 },
    { header: '经度', value: (r) => r.lon, width: 11 },
    { header: '纬度', value: (r) => r.lat, width: 10 },
  ];
}

const needColumns: Column<NeedRow>[] = [
  { header: '需求编号', value: (n) => n.id, width: 10 },
  { header: '标题', value: (n) => n.title, width: 24 },
  { header: '描述', value: (n) => n.description, width: 40 },
  { header: '类别', value: (n) => n.category_name, width: 12 },
  { header: '状态', value: (n) => NEED_STATUS_LABELS[n.status] ?? n.status, width: 8 },
  { header: '社区', value: (n) => n.community_name, width: 14 },
  { header: '网格', value: (n) => n.grid_name, width: 14 },
  { header: '楼栋', value: (n) => n.building, width: 12 },
  { header: '涉及户数', value: (n) => n.households, width: 8 },
  { header: '承接主体', value: (n) => (n.body ? NEED_BODY_LABELS[n.body] ?? n.body : null), width: 10 },
  { header: '承接单位', value: (n) => n.department_name ?? n.branch_name ?? null, width: 16 },
  { header: '对接资源', value: (n) => n.resource_name ?? (n.organisation_name ? `社会组织：${n.organisation_name}` : null), width: 20 },
  { header: '认领人', value: (n) => n.claimed_by ?? null, width: 10 },
  { header: '提出时间', value: (n) => shanghaiTime(n.created_at), width: 17 },
  { header: '更新时间', value: (n) => shanghaiTime(n.updated_at), width: 17 },
  { header: '滞留', value: (n) => yesNo(n.stalled), width: 6 },
];

const RATE_LABELS: Record<KpiRate, string> = {
  in_grid_rate: '网格内办结率', in_community_rate: '社区内办结率', response_rate: '按时响应率',
  resolution_rate: '办结率', satisfaction_rate: '满意率', on_time_rate: '按时办结率',
};
const LEVEL_LABELS: Record<KpiResponse['level'], string> = { city: '全市', subdistrict: '街道', community: '社区', grid: '网格', department: '部门' };
const percent = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 10);

/**
 * One row per unit (or the one unit when not grouped): rank, score, every rate with its weight
 * in the header, and the counts each rate is computed from, so a score can be checked by hand.
 */
function kpiColumns(k: KpiResponse): Column<KpiUnit>[] {
  const count = (key: string) => (u: KpiUnit) => u.counts[key] ?? 0;
  return [
    { header: '排名', value: (u) => u.rank, width: 6 },
    { header: k.group ? LEVEL_LABELS[k.group] : LEVEL_LABELS[k.level], value: (u) => u.name, width: 18 },
    { header: '得分', value: (u) => u.score, width: 8 },
    ...KPI_RATES.map((r): Column<KpiUnit> => ({ header: `${RATE_LABELS[r]}（%，权重 ${k.weights[r]}）`, value: (u) => percent(u[r]), width: 14 })),
    { header: '受理案件', value: (u) => u.cases, width: 9 },
    { header: '已结案', value: (u) => u.closed, width: 8 },
    { header: '在办', value: (u) => u.open, width: 7 },
    { header: '超期', value: (u) => u.overdue, width: 7 },
    { header: '网格内办结', value: count('closed_in_grid'), width: 10 },
    { header: '社区内办结', value: count('closed_in_community'), width: 10 },
    { header: '应响应', value: count('dispatched_due'), width: 8 },
    { header: '按时响应', value: count('responded_on_time'), width: 9 },
    { header: '已受理', value: count('accepted'), width: 8 },
    { header: '已办结', value: count('resolved'), width: 8 },
    { header: '已评价', value: count('rated'), width: 8 },
    { header: '满意', value: count('satisfied'), width: 7 },
    { header: '应按时办结', value: count('on_time_denominator'), width: 10 },
    { header: '按时办结', value: count('closed_on_time'), width: 9 },
    { header: '平均响应（分钟）', value: (u) => u.response_minutes.mean, width: 12 },
    { header: '平均办结（小时）', value: (u) => u.resolution_hours.mean, width: 12 },
  ];
}

const tooMany = (n: number) =>
  badRequest(`导出行数 ${n.toLocaleString('en-US')} 超过上限 ${EXPORT_MAX_ROWS.toLocaleString('en-US')}，请缩小筛选范围 (too many rows to export: narrow the filters)`);

/** Today in Enshi, for the file name: 住户名册-2026-12-06.xlsx. */
const today = () => shanghaiTime(new Date())!.slice(0, 10);

export function exportRoutes(db: Db, options: { trustProxy?: boolean; kpiCache?: KpiCache<KpiResponse> } = {}) {
  const kpiCache = options.kpiCache ?? new KpiCache<KpiResponse>(db);
  async function send<R>(c: Context<AppEnv>, what: { entity: AuditEntity; title: string; ascii: string },
                         fmt: ExportFormat, columns: Column<R>[], rows: R[], filters: Record<string, unknown>) {
    const u = c.get('user');
    const body = fmt === 'csv' ? toCsv(columns, rows) : await toXlsx(what.title, columns, rows);
    await audit(db, {
      userId: u.id, actor: u.username, action: 'export', entity: what.entity,
      after: { format: fmt, rows: rows.length, filters }, ip: clientIp(c, options.trustProxy ?? false),
    });
    c.header('Content-Type', CONTENT_TYPES[fmt]);
    c.header('Content-Disposition', attachment(`${what.title}-${today()}`, `${what.ascii}-${today()}`, fmt));
    c.header('X-Export-Rows', String(rows.length));
    return c.body(typeof body === 'string' ? body : new Uint8Array(body));
  }

  return new Hono<AppEnv>()
    .use('/exports/households', requirePersonalData)
    .get('/exports/households', validQuery(householdsExportQuery), async (c) => {
      const { format: fmt = 'xlsx', ...q } = c.req.valid('query');
      const u = c.get('user');
      await assertVisible(db, u, 'community', q.community);
      await assertVisible(db, u, 'grid', q.grid);
      const pattern = q.q ? `%${q.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%` : null;
      const reader = await db.forReading();
      const { rows } = await reader.query<HouseholdRecord & { total: number }>(RECORDS_SQL, [
        ...scopeParams(u), q.community ?? null, q.grid ?? null, pattern, q.difficulty ?? null, q.unlinked ?? null,
        EXPORT_MAX_ROWS + 1, 0,
      ]);
      const households = rows.filter((r) => r.id !== null);
      if (households.length > EXPORT_MAX_ROWS) throw tooMany(rows[0].total);
      return send(c, { entity: 'household', title: '住户名册', ascii: 'households' }, fmt,
        householdColumns(await unitNames(reader)), households, q);
    })
    .get('/exports/cases', validQuery(casesExportQuery), async (c) => {
      const { format: fmt = 'xlsx', ...q } = c.req.valid('query');
      const u = c.get('user');
      const reader = await db.forReading();
      const { total, cases } = await listCases(reader, u, q, EXPORT_MAX_ROWS + 1, 0);
      if (cases.length > EXPORT_MAX_ROWS) throw tooMany(total);
      // The list shows an address only to whom it presents one; the column follows the same rule.
      const personal = cases.some((r) => 'address' in r);
      return send(c, { entity: 'case', title: '案件清单', ascii: 'cases' }, fmt,
        caseColumns(await unitNames(reader), personal), cases, q);
    })
    .get('/exports/needs', validQuery(needsExportQuery), async (c) => {
      const { format: fmt = 'xlsx', ...q } = c.req.valid('query');
      const { total, needs } = await listNeeds(await db.forReading(), c.get('user'), q, EXPORT_MAX_ROWS + 1, 0);
      if (needs.length > EXPORT_MAX_ROWS) throw tooMany(total);
      return send(c, { entity: 'need', title: '需求清单', ascii: 'needs' }, fmt, needColumns, needs, q);
    })
    .get('/exports/kpis', validQuery(kpisExportQuery), async (c) => {
      const { format: fmt = 'xlsx', ...q } = c.req.valid('query');
      const k = await userKpis(db, kpiCache, c.get('user'), q);
      // Grouped: the ranked units; otherwise the one unit asked for, as one row.
      const rows: KpiUnit[] = k.group ? k.units : [{ ...k.total, id: k.id ?? 0, name: k.name, score: null, rank: null }];
      return send(c, { entity: 'kpi', title: '三级考评', ascii: 'kpis' }, fmt, kpiColumns(k), rows,
        { ...q, from: k.from, to: k.to });
    });
}
