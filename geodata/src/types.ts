// The dataset contract shared by the generator, the importer and the server's seeding code.
// Coordinates are [lon, lat] in EPSG:4326 (CGCS2000 is within a metre of it).
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';

export interface SubdistrictProps {
  code: string; // 9-digit NBS code, e.g. "422801001"
  name: string; // e.g. "舞阳坝街道"
  synthetic: boolean; // true: the polygon is synthesised, not an official boundary
}

export interface CommunityProps {
  code: string; // 12-digit NBS code, e.g. "422801001001"
  name: string; // short form, e.g. "官坡社区"
  full_name: string; // verbatim NBS name, e.g. "官坡社区居委会"
  subdistrict_code: string;
  synthetic: boolean;
}

export interface GridProps {
  code: string; // community code + 3-digit grid number, e.g. "422801001001003"
  number: number; // 1-based within the community
  name: string; // e.g. "官坡社区第3网格"
  community_code: string;
  synthetic: boolean;
}

export type SubdistrictFeature = Feature<Polygon, SubdistrictProps>;
export type CommunityFeature = Feature<Polygon, CommunityProps>;
export type GridFeature = Feature<Polygon, GridProps>;

/**
 * The three layers. The generator makes single polygons; a city's own boundaries may hold a
 * unit that really is several parts (an exclave, an island), so imports take MultiPolygons.
 */
export interface Boundaries<G extends Polygon | MultiPolygon = Polygon> {
  subdistricts: FeatureCollection<G, SubdistrictProps>;
  communities: FeatureCollection<G, CommunityProps>;
  grids: FeatureCollection<G, GridProps>;
}

/** Boundaries as a city imports them: each unit a Polygon or a MultiPolygon. */
export type ImportedBoundaries = Boundaries<Polygon | MultiPolygon>;

export interface Household {
  id: number; // 1..N, stable
  grid_code: string;
  lon: number;
  lat: number;
  building: string; // e.g. "金桂大道18号"  (synthetic)
  address: string; // full address incl. unit and room, e.g. "金桂大道18号2单元301"
  size: number; // persons, 1..7
  in_difficulty: boolean;
  head_name: string; // synthetic personal data
  phone: string; // synthetic, 11 digits
}

export type CadreKind = 'in_service' | 'sunk' | 'grid_worker' | 'task_force';

export interface Cadre {
  id: number; // 1..M, stable
  kind: CadreKind;
  name: string;
  phone: string;
  work_unit: string; // department or employer; for grid workers the community's name
  lon: number; // home point
  lat: number;
  grid_code: string; // home grid (grid workers: the grid they serve)
  branch_code: string | null; // area party branch, for sunk party members
}

export type LinkKind =
  | 'difficulty' // 双定三联: an in-service member's one family in difficulty
  | 'neighbour' // 双定三联: an in-service member's 5–10 neighbouring households
  | 'branch'; // a sunk party member's households in the area branch

export interface CadreLink {
  cadre_id: number;
  household_id: number;
  kind: LinkKind;
}

export interface AreaBranch {
  code: string; // community code + "B" + 2 digits, e.g. "422801001001B01"
  name: string; // e.g. "官坡社区第一片区党支部"
  community_code: string;
  grid_codes: string[];
}

export interface Department {
  code: string; // "D01".."D24"
  name: string; // e.g. "恩施市民政局"
  resources: { name: string; description: string }[];
}

export interface Population {
  households: Household[];
  cadres: Cadre[];
  links: CadreLink[];
  branches: AreaBranch[];
  departments: Department[];
}
