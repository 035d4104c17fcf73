// The residents' report page's map: light (read on a phone outdoors), the city outline, the river
// and the streets, and one pin the resident places by tapping or dragging, or by the device's
// location. Everything it draws comes from public routes (the outline is public data; streets and
// river are the synthetic basemap), so it works without an account.
import maplibregl, { type GeoJSONSource, type StyleSpecification } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import './pin.css';
import type { FeatureCollection } from 'geojson';
import { bbox } from '@turf/bbox';
import { attributions, INITIAL_CENTER } from '../map/createMap';
import { CJK_CSS_FONT_FAMILY, LABEL_FONT_REGULAR } from '../map/theme';
import { t } from '../i18n';

const STYLE: StyleSpecification = {
  version: 8,
  name: 'grid-atlas-report',
  sources: {},
  layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#dfe6ee' } }],
};

export class ReportMap {
  readonly map: maplibregl.Map;
  readonly ready: Promise<void>;
  private readonly pin: maplibregl.Marker;
  private placed = false;

  constructor(container: HTMLElement, private readonly onPick: (lngLat: [number, number]) => void) {
    this.map = new maplibregl.Map({
      container,
      style: STYLE,
      center: INITIAL_CENTER,
      zoom: 13,
      minZoom: 9,
      maxZoom: 18,
      dragRotate: false,
      pitchWithRotate: false,
      touchPitch: false,
      attributionControl: false,
      localIdeographFontFamily: CJK_CSS_FONT_FAMILY,
    });
    this.map.touchZoomRotate.disableRotation();
    this.map.addControl(new maplibregl.AttributionControl({ compact: true, customAttribution: attributions() }), 'bottom-right');
    this.map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
    const el = document.createElement('div');
    el.className = 'report-pin';
    el.setAttribute('aria-label', t('cases.report.pin'));
    this.pin = new maplibregl.Marker({ element: el, draggable: true, anchor: 'bottom' });
    this.pin.on('dragend', () => {
      const p = this.pin.getLngLat();
      this.onPick([p.lng, p.lat]);
    });
    this.map.on('click', (e) => this.place([e.lngLat.lng, e.lngLat.lat], false));
    this.ready = new Promise<void>((resolve) => this.map.once('load', () => resolve())).then(() => {
      this.addLayers();
      // The credits start folded on a phone (the "i" opens them): unfolded they cover the map.
      container.querySelector('.maplibregl-ctrl-attrib')?.classList.remove('maplibregl-compact-show');
    });
  }

  private addLayers(): void {
    const m = this.map;
    const empty: FeatureCollection = { type: 'FeatureCollection', features: [] };
    m.addSource('city', { type: 'geojson', data: empty });
    m.addSource('streets', { type: 'geojson', data: empty });
    m.addLayer({ id: 'city-land', type: 'fill', source: 'city', paint: { 'fill-color': '#f7f9fb' } });
    m.addLayer({
      id: 'river', type: 'line', source: 'streets', filter: ['==', ['get', 'kind'], 'river'],
      layout: { 'line-join': 'round', 'line-cap': 'round' },
      paint: { 'line-color': '#8cc4f0', 'line-width': ['interpolate', ['exponential', 1.6], ['zoom'], 10, 3, 13, 9, 16, 40] },
    });
    m.addLayer({
      id: 'streets', type: 'line', source: 'streets', filter: ['!=', ['get', 'kind'], 'river'],
      layout: { 'line-join': 'round', 'line-cap': 'round' },
      paint: { 'line-color': '#c3ccd6', 'line-width': ['interpolate', ['exponential', 1.5], ['zoom'], 12, 1, 16, 9] },
    });
    m.addLayer({
      id: 'street-names', type: 'symbol', source: 'streets', minzoom: 14, filter: ['has', 'name'],
      layout: { 'symbol-placement': 'line', 'text-field': ['get', 'name'], 'text-font': LABEL_FONT_REGULAR, 'text-size': 13 },
      paint: { 'text-color': '#4a5866', 'text-halo-color': '#ffffff', 'text-halo-width': 1.5 },
    });
    m.addLayer({ id: 'city-line', type: 'line', source: 'city', paint: { 'line-color': '#5f86b3', 'line-width': 2, 'line-dasharray': [3, 2] } });
  }

  setCity(outline: FeatureCollection, streets: FeatureCollection | null): void {
    (this.map.getSource('city') as GeoJSONSource).setData(outline);
    if (streets) (this.map.getSource('streets') as GeoJSONSource).setData(streets);
  }

  /**
   * Shows only `area` as land (a gatherer's own grid, say) and fits the view to it; places
   * outside it stay grey.
   */
  frame(area: FeatureCollection, streets: FeatureCollection | null): void {
    this.setCity(area, streets);
    const [w, s, e, n] = bbox(area);
    this.map.fitBounds([w, s, e, n], { padding: 30, duration: 0, maxZoom: 17 });
  }

  /** Puts the pin at a place (and flies there when it came from the device's location). */
  place(lngLat: [number, number], fly: boolean): void {
    this.pin.setLngLat(lngLat);
    if (!this.placed) {
      this.pin.addTo(this.map);
      this.placed = true;
    }
    if (fly) this.map.easeTo({ center: lngLat, zoom: Math.max(this.map.getZoom(), 16), duration: 600 });
    this.onPick(lngLat);
  }

  destroy(): void {
    this.map.remove();
  }
}
