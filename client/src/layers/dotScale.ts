/**
 * Household dots shrink as the map zooms out, down to half size at city zoom (≤ 13): there,
 * thousands of full-size dots would cover the grids under them. A uniform of the dot layer, so a
 * zoom changes no buffer.
 */
export function zoomScale(zoom: number): number {
  return Math.min(1, Math.max(0.5, 2 ** ((zoom - 15) / 2)));
}
