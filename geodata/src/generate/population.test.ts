import { describe, it, expect } from 'vitest';
import { booleanPointInPolygon } from '@turf/turf';
import type { Household } from '../types.ts';
import { generatePopulation, loadEnshiBoundaries, ENSHI_TOTALS } from '../index.ts';

const b = loadEnshiBoundaries();
const pop = generatePopulation(b);

const gridByCode = new Map(b.grids.features.map((g, i) => [g.properties.code, { g, i }]));
const householdById = new Map(pop.households.map((h) => [h.id, h]));
const cadreById = new Map(pop.cadres.map((c) => [c.id, c]));
const communityOf = (gridCode: string) => gridByCode.get(gridCode)!.g.properties.community_code;

describe('generatePopulation', () => {
  it('is deterministic', () => {
    const again = generatePopulation(loadEnshiBoundaries());
    expect(JSON.stringify(again)).toBe(JSON.stringify(pop));
  });

  it('has the exact totals', () => {
    expect(pop.households).toHaveLength(ENSHI_TOTALS.households);
    expect(pop.households.filter((h) => h.in_difficulty)).toHaveLength(ENSHI_TOTALS.inDifficulty);
    const kinds = (k: string) => pop.cadres.filter((c) => c.kind === k).length;
    expect(kinds('in_service')).toBe(ENSHI_TOTALS.inServiceMembers);
    expect(kinds('sunk')).toBe(ENSHI_TOTALS.sunkMembers);
    expect(kinds('grid_worker')).toBe(ENSHI_TOTALS.grids);
    expect(kinds('task_force')).toBeGreaterThanOrEqual(10);
    expect(kinds('task_force')).toBeLessThanOrEqual(15);
    expect(pop.departments).toHaveLength(ENSHI_TOTALS.departments);
  });

  it('numbers households 1..N ordered by grid, and cadres 1..M', () => {
    expect(pop.households.every((h, i) => h.id === i + 1)).toBe(true);
    expect(pop.cadres.every((c, i) => c.id === i + 1)).toBe(true);
    const gridOrder = pop.households.map((h) => gridByCode.get(h.grid_code)!.i);
    expect(gridOrder.every((g, i) => i === 0 || g >= gridOrder[i - 1])).toBe(true);
  });

  it('puts every household and cadre home inside its own grid', () => {
    const outside = [...pop.households, ...pop.cadres].filter(
      (x) => !booleanPointInPolygon([x.lon, x.lat], gridByCode.get(x.grid_code)!.g),
    );
    expect(outside).toEqual([]);
  });

  it('reproduces the imbalance: oversized and undersized grids and communities', () => {
    const perGrid = new Map<string, number>();
    for (const h of pop.households) perGrid.set(h.grid_code, (perGrid.get(h.grid_code) ?? 0) + 1);
    expect(perGrid.size).toBe(ENSHI_TOTALS.grids);
    const counts = [...perGrid.values()];
    expect(counts.filter((c) => c > 500).length).toBeGreaterThanOrEqual(15);
    expect(counts.filter((c) => c < 120).length).toBeGreaterThanOrEqual(15);
    const perCommunity = new Map<string, number>();
    for (const h of pop.households) perCommunity.set(communityOf(h.grid_code), (perCommunity.get(communityOf(h.grid_code)) ?? 0) + 1);
    const mean = ENSHI_TOTALS.households / ENSHI_TOTALS.communities;
    expect([...perCommunity.values()].filter((c) => c > 1.5 * mean).length).toBeGreaterThanOrEqual(3);
    // households cluster into buildings
    expect(new Set(pop.households.map((h) => h.building)).size).toBeLessThan(pop.households.length / 4);
    expect(new Set(pop.households.map((h) => h.address)).size).toBe(pop.households.length);
  });

  it('links each in-service member to one family in difficulty and 5–10 neighbours', () => {
    const byCadre = new Map<number, { difficulty: Household[]; neighbour: Household[] }>();
    const neighbourLinked = new Set<number>();
    const difficultyCovered = new Set<number>();
    const problems: string[] = [];
    for (const l of pop.links) {
      const c = cadreById.get(l.cadre_id);
      const h = householdById.get(l.household_id);
      if (!c || !h) {
        problems.push(`dangling link ${JSON.stringify(l)}`);
        continue;
      }
      if (l.kind === 'branch') {
        if (c.kind !== 'sunk') problems.push(`branch link from ${c.kind} ${c.id}`);
        continue;
      }
      if (c.kind !== 'in_service') problems.push(`${l.kind} link from ${c.kind} ${c.id}`);
      const e = byCadre.get(c.id) ?? { difficulty: [], neighbour: [] };
      e[l.kind].push(h);
      byCadre.set(c.id, e);
      if (l.kind === 'difficulty') difficultyCovered.add(h.id);
      else {
        if (neighbourLinked.has(h.id)) problems.push(`household ${h.id} has two neighbour links`);
        neighbourLinked.add(h.id);
      }
    }
    for (const [id, { difficulty, neighbour }] of byCadre) {
      if (difficulty.length !== 1 || !difficulty[0].in_difficulty) problems.push(`member ${id}: difficulty links ${difficulty.map((h) => h.id)}`);
      if (neighbour.length < 5 || neighbour.length > 10) problems.push(`member ${id}: ${neighbour.length} neighbours`);
      for (const n of neighbour) {
        if (n.in_difficulty) problems.push(`member ${id}: neighbour ${n.id} is in difficulty`);
        if (communityOf(n.grid_code) !== communityOf(difficulty[0].grid_code)) problems.push(`member ${id}: neighbour ${n.id} in another community`);
      }
    }
    expect(problems.slice(0, 10)).toEqual([]);
    expect(byCadre.size).toBe(ENSHI_TOTALS.inServiceMembers);
    expect(difficultyCovered.size).toBe(ENSHI_TOTALS.inDifficulty);
  });

  it('organises sunk members in contiguous area branches that reach every remaining household', () => {
    const branchByCode = new Map(pop.branches.map((br) => [br.code, br]));
    const perCommunity = new Map<string, number>();
    const branchOfGrid = new Map<string, string>();
    for (const br of pop.branches) {
      expect(br.code).toMatch(new RegExp(`^${br.community_code}B\\d{2}$`));
      expect(br.name).toMatch(/片区党支部$/);
      perCommunity.set(br.community_code, (perCommunity.get(br.community_code) ?? 0) + 1);
      for (const gc of br.grid_codes) {
        expect(communityOf(gc)).toBe(br.community_code);
        expect(branchOfGrid.has(gc)).toBe(false);
        branchOfGrid.set(gc, br.code);
      }
      // contiguous: the grids are connected through shared boundary segments
      const segs = new Map<string, string>();
      for (const gc of br.grid_codes) {
        const r = gridByCode.get(gc)!.g.geometry.coordinates[0];
        for (let k = 0; k < r.length - 1; k++) segs.set(`${r[k]}>${r[k + 1]}`, gc);
      }
      const adj = new Map<string, Set<string>>(br.grid_codes.map((gc) => [gc, new Set<string>()]));
      for (const gc of br.grid_codes) {
        const r = gridByCode.get(gc)!.g.geometry.coordinates[0];
        for (let k = 0; k < r.length - 1; k++) {
          const o = segs.get(`${r[k + 1]}>${r[k]}`);
          if (o) adj.get(gc)!.add(o);
        }
      }
      const seen = new Set([br.grid_codes[0]]);
      const stack = [br.grid_codes[0]];
      while (stack.length) for (const o of adj.get(stack.pop()!)!) if (!seen.has(o)) (seen.add(o), stack.push(o));
      expect(seen.size).toBe(br.grid_codes.length);
    }
    expect(branchOfGrid.size).toBe(ENSHI_TOTALS.grids);
    expect(perCommunity.size).toBe(ENSHI_TOTALS.communities);
    for (const n of perCommunity.values()) {
      expect(n).toBeGreaterThanOrEqual(3);
      expect(n).toBeLessThanOrEqual(5);
    }
    const wrongHome = pop.cadres.filter((c) =>
      c.kind === 'sunk' ? !branchByCode.get(c.branch_code!)?.grid_codes.includes(c.grid_code) : c.branch_code !== null,
    );
    expect(wrongHome).toEqual([]);
    const inService = new Set<number>();
    const branchLinks = new Map<number, number>();
    const wrongBranch: number[] = [];
    for (const l of pop.links) {
      if (l.kind === 'branch') {
        branchLinks.set(l.household_id, (branchLinks.get(l.household_id) ?? 0) + 1);
        const h = householdById.get(l.household_id)!;
        if (cadreById.get(l.cadre_id)!.branch_code !== branchOfGrid.get(h.grid_code)) wrongBranch.push(h.id);
      } else inService.add(l.household_id);
    }
    expect(wrongBranch).toEqual([]);
    // every household is linked: by an in-service member, or else by exactly one sunk member
    const unlinked = pop.households.filter((h) => (inService.has(h.id) ? branchLinks.has(h.id) : branchLinks.get(h.id) !== 1));
    expect(unlinked).toEqual([]);
  });

  it('has one grid worker per grid and plausible personal data', () => {
    const workers = pop.cadres.filter((c) => c.kind === 'grid_worker');
    expect(new Set(workers.map((w) => w.grid_code)).size).toBe(ENSHI_TOTALS.grids);
    const people = [...pop.households.map((h) => ({ name: h.head_name, phone: h.phone })), ...pop.cadres];
    expect(people.filter((x) => !/^[\u4e00-\u9fff]{2,3}$/.test(x.name) || !/^1[358]\d{9}$/.test(x.phone))).toEqual([]);
    expect(new Set(people.map((x) => x.phone)).size).toBe(people.length);
    expect(pop.households.filter((h) => h.size < 1 || h.size > 7 || !h.address.startsWith(h.building))).toEqual([]);
  });

  it('lists 24 departments with 3–6 resources each', () => {
    pop.departments.forEach((d, i) => {
      expect(d.code).toBe(`D${String(i + 1).padStart(2, '0')}`);
      expect(d.resources.length).toBeGreaterThanOrEqual(3);
      expect(d.resources.length).toBeLessThanOrEqual(6);
      for (const r of d.resources) {
        expect(r.name.length).toBeGreaterThan(0);
        expect(r.description.length).toBeGreaterThan(0);
      }
    });
    expect(new Set(pop.departments.map((d) => d.name)).size).toBe(24);
  });
});
