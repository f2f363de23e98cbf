/**
 * The console map (H5 only: loaded by `import()` inside a TARO_ENV === 'h5' branch, so none of it
 * reaches weapp/alipay). Leaflet with the tile URL of the build (`MAP_TILE_URL`: AMap/Tencent tiles
 * in production, which are GCJ-02, so GCJ-02 coordinates are drawn on them); without one a plain
 * grid drawn locally (WGS-84 coordinates), so the map works with no network. Circle markers, not
 * image icons: nothing to fetch, nothing for the CSP to refuse.
 */
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';

export interface MapPoint {
  wgs84: { lat: number; lng: number };
  gcj02: { lat: number; lng: number };
}

export interface MapScene {
  caller?: MapPoint & { accuracy?: number };
  stations: (MapPoint & { name: string })[];
  /** Positions of a 登山守护 trail, oldest first. */
  trail: MapPoint[];
}

const tiles = MAP_TILE_URL;
const datum = (p: MapPoint): [number, number] => {
  const c = tiles ? p.gcj02 : p.wgs84;
  return [c.lat, c.lng];
};

/** A grid drawn in the browser: lines and the tile's coordinates, no download. */
const Grid: new (o?: L.GridLayerOptions) => L.GridLayer = L.GridLayer.extend({
  createTile(coords: L.Coords) {
    const tile = document.createElement('canvas');
    const size = (this as L.GridLayer).getTileSize();
    tile.width = size.x;
    tile.height = size.y;
    const ctx = tile.getContext('2d');
    if (ctx) {
      ctx.fillStyle = '#f3f6f9';
      ctx.fillRect(0, 0, size.x, size.y);
      ctx.strokeStyle = '#c9d3dd';
      ctx.strokeRect(0, 0, size.x, size.y);
      ctx.fillStyle = '#8a97a6';
      ctx.font = '11px sans-serif';
      ctx.fillText(`${coords.z}/${coords.x}/${coords.y}`, 6, 14);
    }
    return tile;
  },
});

export function drawMap(el: HTMLElement, scene: MapScene): () => void {
  const map = L.map(el, { zoomControl: true, attributionControl: !!tiles });
  if (tiles) L.tileLayer(tiles, { maxZoom: 18 }).addTo(map);
  else new Grid({ maxZoom: 19 }).addTo(map);
  const bounds: [number, number][] = [];
  for (const s of scene.stations) {
    const at = datum(s);
    L.circleMarker(at, { radius: 7, color: '#0b5cad', fillColor: '#0b5cad', fillOpacity: 0.9, className: 'dispatch-map__station' }).bindTooltip(s.name, { permanent: false }).addTo(map);
    bounds.push(at);
  }
  if (scene.trail.length > 1) {
    L.polyline(scene.trail.map(datum), { color: '#ef6c00', weight: 3, dashArray: '6 4', className: 'dispatch-map__trail' }).addTo(map);
    bounds.push(...scene.trail.map(datum));
  }
  if (scene.caller) {
    const at = datum(scene.caller);
    // The accuracy circle only when the phone reported one (0 / none: 精度未知, no circle).
    if (scene.caller.accuracy && scene.caller.accuracy > 0) L.circle(at, { radius: scene.caller.accuracy, color: '#b71c1c', weight: 1, fillOpacity: 0.15, className: 'dispatch-map__accuracy' }).addTo(map);
    L.circleMarker(at, { radius: 10, color: '#fff', weight: 3, fillColor: '#b71c1c', fillOpacity: 1, className: 'dispatch-map__caller' }).bindTooltip('求助人', { permanent: true, direction: 'top' }).addTo(map);
    map.setView(at, 15);
  } else if (bounds.length) map.fitBounds(L.latLngBounds(bounds), { padding: [24, 24] });
  else map.setView([36.25, 117.1], 12);
  return () => map.remove();
}
