// Colours of the map, tuned for a dark big-screen: data colours must stay readable from metres away
// against the near-black background, and must not compete with the white subdistrict outlines.

/** Everything outside the real city outline. */
export const BACKGROUND = '#050d19';
/**
 * Land inside the real city outline, a shade lighter than the background so the city shape reads.
 * It is the offline style's background colour, and the outside is painted over it (see
 * layers/boundaries.ts for why it is that way round).
 */
export const CITY_LAND = '#0a192a';
export const CITY_OUTLINE = '#5f86b3';

/** Subtle, distinct hues per subdistrict (fill tint at low zoom and list markers). Ordered by code. */
export const SUBDISTRICT_COLORS = ['#4f8dff', '#2ec4a0', '#f0b54a', '#b57cff', '#ff7a8f', '#62d3ff', '#c6e05a'];

export function subdistrictColor(index: number): string {
  return SUBDISTRICT_COLORS[((index % SUBDISTRICT_COLORS.length) + SUBDISTRICT_COLORS.length) % SUBDISTRICT_COLORS.length];
}

/**
 * Sequential ramp for households per grid: dark blue (few) to pale yellow (many).
 * Lightness rises monotonically so the order survives projector wash-out and colour-blindness.
 */
export const HOUSEHOLD_RAMP = ['#173b63', '#1b5d8c', '#1f83a8', '#34a9b3', '#74cca6', '#c9ea9b'];

export const SUBDISTRICT_LINE = '#f2f7ff';
export const SUBDISTRICT_CASING = '#02060d';
export const COMMUNITY_LINE = '#7fe0ff';
export const GRID_LINE = '#a9c8e8';
export const HOVER_LINE = '#ffe26a';
export const FOCUS_LINE = '#ffcf5a';
export const SELECTED_LINE = '#ffb020';
export const LABEL_HALO = '#030912';

/** Household points (deck.gl RGBA). */
export const HOUSEHOLD_COLORS = {
  inDifficulty: [255, 92, 82, 235] as const,
  partyLinked: [255, 206, 84, 215] as const,
  other: [170, 220, 255, 150] as const,
};

/**
 * Font stack for labels. MapLibre draws glyphs locally when the style has no `glyphs` URL
 * (see layers/labels.ts); it sniffs the weight from the FIRST name, hence the "Bold" pseudo-family,
 * which the browser skips while keeping weight 700 for the real families that follow.
 */
export const LABEL_FONT_BOLD = ['Noto Sans CJK SC Bold', 'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', 'PingFang SC', 'sans-serif'];
export const LABEL_FONT_REGULAR = ['Noto Sans CJK SC Medium', 'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', 'PingFang SC', 'sans-serif'];
/** The same families as a CSS list, for MapLibre's localIdeographFontFamily option. */
export const CJK_CSS_FONT_FAMILY = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif';

/** 双定三联 link lines (deck.gl RGBA): to the member's family in difficulty, to their neighbours. */
export const LINK_COLORS = {
  difficulty: [255, 120, 110, 150] as const,
  neighbour: [255, 206, 84, 140] as const,
  /** 双定三联's third link: a member to a business (经营主体) near home */
  business: [120, 220, 140, 190] as const,
};

/** Ring around the household picked in the list. */
export const FOCUS_RING = [255, 226, 106, 255] as const;

/** Grid fill of the community view: plain, so household points carry the colour. */
export const GRID_PLAIN_FILL = '#163a5f';

/**
 * Case points by status (deck.gl RGBA): waiting for someone to act is warm, being worked is blue,
 * done is green, set aside is grey. Overdue cases get a red ring on top (CASE_OVERDUE_RING).
 */
export const CASE_STATUS_COLORS: Record<string, readonly [number, number, number, number]> = {
  submitted: [255, 176, 32, 245],
  accepted: [255, 220, 90, 245],
  dispatched: [71, 200, 255, 245],
  claimed: [90, 150, 255, 245],
  in_progress: [150, 120, 255, 245],
  resolved: [60, 215, 150, 245],
  verified: [120, 230, 120, 245],
  closed: [140, 170, 190, 220],
  rejected: [110, 120, 135, 200],
  duplicate: [110, 120, 135, 200],
};
export const CASE_OVERDUE_RING = [255, 60, 60, 255] as const;
