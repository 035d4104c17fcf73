// 联系干部 (contact cadres), one definition for every level: the party members linked to at least
// one household, each counted once, in the grid where most of the households they contact live
// (ties: the lower grid id). A member who contacts households in two grids would otherwise count
// in both, and the grids' figures would add up to more than their community's. Counting where the
// links are, not at the member's home, keeps a sunk member (who serves away from home) with the
// grid they serve.

/**
 * Rows (cadre_id, grid_id): every linked cadre once, with the grid they are counted in. `links`
 * names the links to consider, aliased `l` (a join that keeps only some cadres, with all their links).
 */
export const cadreGridSql = (links = 'cadre_household_links l') => `
  SELECT DISTINCT ON (l.cadre_id) l.cadre_id, h.grid_id
    FROM ${links}
    JOIN households h ON h.id = l.household_id
   WHERE h.grid_id IS NOT NULL
   GROUP BY l.cadre_id, h.grid_id
   ORDER BY l.cadre_id, count(*) DESC, h.grid_id`;

export const CADRE_GRID_SQL = cadreGridSql();
