// Places (地址): where a point is, in words, and addresses found by what a person types.
//   GET /api/places/at?lon=&lat=      (and /api/public/places/at for residents without an account)
//   GET /api/places?q=                (and /api/public/places)
// A point is named by its community, its grid and the nearest building address ("解放路社区
// 第7网格 · 解放路7号附近"), never by raw coordinates. A search finds building addresses (not
// personal: a street and a number); household heads only for roles that see personal data, in
// their own area.
import { z } from 'zod';

const decimal = /^-?\d{1,3}(\.\d{1,20})?$/;
const coordinate = (name: 'lon' | 'lat', max: number) => z.string()
  .regex(decimal, `${name}: 应为十进制度数 (expected decimal degrees)`)
  .transform(Number)
  .pipe(z.number().min(-max, `${name}: 超出范围 (out of range)`).max(max, `${name}: 超出范围 (out of range)`));

export const placeAtQuery = z.object({ lon: coordinate('lon', 180), lat: coordinate('lat', 90) }).strict();
export type PlaceAtQuery = z.input<typeof placeAtQuery>;

export const placeSearchQuery = z.object({
  q: z.string().trim().min(1, '请输入地址或户主姓名 (type an address or a name)').max(30, '最多 30 个字符 (at most 30 characters)'),
}).strict();
export type PlaceSearchQuery = z.input<typeof placeSearchQuery>;

/**
 * Residents search without an account: at least 2 characters, so one request cannot ask for
 * every address containing one common character.
 */
export const publicPlaceSearchQuery = z.object({
  q: z.string().trim().min(2, '请至少输入 2 个字 (type at least 2 characters)').max(30, '最多 30 个字符 (at most 30 characters)'),
}).strict();

export const placeAt = z.object({
  subdistrict_name: z.string(),
  community_name: z.string(),
  grid_number: z.number(),
  /** The nearest building address within 150 m ("解放路7号"); null when none is that close. */
  near: z.string().nullable(),
  /** false when the point lay outside every grid and belongs to the nearest one within 50 m. */
  inside: z.boolean(),
  /** "解放路社区 第7网格 · 解放路7号附近": what the page shows. */
  label: z.string(),
});
export type PlaceAt = z.infer<typeof placeAt>;

export const placeHit = z.object({
  kind: z.enum(['building', 'household']),
  /** The building address ("解放路7号"): a street and a number, not personal. */
  building: z.string(),
  /** Household hits only (personal roles in their area): the household's full address and head. */
  address: z.string().optional(),
  head_name: z.string().optional(),
  community_name: z.string(),
  grid_number: z.number(),
  households: z.number(),
  lon: z.number(),
  lat: z.number(),
});
export type PlaceHit = z.infer<typeof placeHit>;
export const placeSearchResponse = z.object({ places: z.array(placeHit) });
export type PlaceSearchResponse = z.infer<typeof placeSearchResponse>;
