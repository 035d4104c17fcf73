// Source and layer ids, in drawing order (bottom to top). Other modules (and later features that
// insert layers, e.g. a heatmap) should position themselves relative to these with `beforeId`.

export const SOURCE = {
  city: 'ga-city',
  /** The world minus the city outline (see layers/boundaries.ts). */
  cityOutside: 'ga-city-outside',
  subdistricts: 'ga-subdistricts',
  communities: 'ga-communities',
  grids: 'ga-grids',
  subdistrictLabels: 'ga-subdistrict-labels',
  communityLabels: 'ga-community-labels',
  gridLabels: 'ga-grid-labels',
  cityLabel: 'ga-city-label',
} as const;

export const LAYER = {
  cityOutside: 'ga-city-outside',
  subdistrictFill: 'ga-subdistrict-fill',
  gridFill: 'ga-grid-fill',
  gridLine: 'ga-grid-line',
  communityLine: 'ga-community-line',
  subdistrictCasing: 'ga-subdistrict-casing',
  subdistrictLine: 'ga-subdistrict-line',
  subdistrictFocus: 'ga-subdistrict-focus',
  cityLine: 'ga-city-line',
  gridHighlight: 'ga-grid-highlight',
  /** deck.gl household points are interleaved just below the labels. */
  householdsBefore: 'ga-grid-label',
  gridLabel: 'ga-grid-label',
  communityLabel: 'ga-community-label',
  subdistrictLabel: 'ga-subdistrict-label',
  cityLabel: 'ga-city-label',
} as const;
