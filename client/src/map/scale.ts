// One scale factor for everything drawn in map pixels (line widths, label sizes, point radii).
// CSS text scales with the viewport (see styles/global.css), but MapLibre and deck.gl draw in CSS
// pixels, so on a 3840-wide wall at devicePixelRatio 1 the map would otherwise look half as heavy.
// 1920 px wide = 1.

export function uiScale(width = window.innerWidth, height = window.innerHeight): number {
  const s = Math.min(width / 1920, height / 1080);
  return Math.min(2.4, Math.max(0.8, s));
}
