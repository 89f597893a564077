// The Leaflet map: our own road network as a vector layer (so it works without a tile server), an
// optional tile layer when VITE_TILE_URL is configured at build time, and helpers for the overlays.
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { RefObject } from 'preact';
import { get } from '../api.ts';
import type { ZoneStatus } from '../types.ts';
import { t } from '../i18n.ts';

export const MONACO: L.LatLngTuple = [43.7347, 7.4206];

const networkCache = new Map<string, Promise<GeoJSON.FeatureCollection>>();

/** The road network once per layer and page load (it is large and does not change during a shift). */
export function loadNetwork(layer: 'drive' | 'walk'): Promise<GeoJSON.FeatureCollection> {
  let cached = networkCache.get(layer);
  if (!cached) {
    cached = get<GeoJSON.FeatureCollection>('/network', { layer });
    cached.catch(() => networkCache.delete(layer));
    networkCache.set(layer, cached);
  }
  return cached;
}

export type NetworkState = 'loading' | 'shown' | 'missing';

/** Creates the map in the returned ref's element; the map is available after the first render. */
export function useMap(options: { network?: 'drive' | 'walk'; zoom?: number } = {}) {
  const ref = useRef<HTMLDivElement>(null);
  const [map, setMap] = useState<L.Map>();
  const [network, setNetwork] = useState<NetworkState>('loading');
  useEffect(() => {
    const m = L.map(ref.current!, { preferCanvas: true, zoomControl: true, attributionControl: true }).setView(MONACO, options.zoom ?? 15);
    const tileUrl = import.meta.env.VITE_TILE_URL as string | undefined;
    if (tileUrl) L.tileLayer(tileUrl, { maxZoom: 19, attribution: '© OpenStreetMap contributors' }).addTo(m);
    else m.attributionControl.addAttribution('Roads © OpenStreetMap contributors');
    setMap(m);
    let live = true;
    loadNetwork(options.network ?? 'drive').then(
      (fc) => {
        if (!live) return;
        roadLines(fc).addTo(m);
        setNetwork('shown');
      },
      () => live && setNetwork('missing'),
    );
    // The container may get its size after mounting (tabs, phone layout).
    // The canvas redraws its area on moveend only, so a resized map is told it moved.
    const resize = new ResizeObserver(() => {
      m.invalidateSize();
      m.fire('moveend');
    });
    resize.observe(ref.current!);
    return () => {
      live = false;
      resize.disconnect();
      m.remove();
    };
  }, []);
  return { ref, map, network };
}

/**
 * The road network as one multi-line layer: a district's tens of thousands of roads made one Leaflet layer each
 * (L.geoJSON) kept the page busy for seconds before anything else was drawn.
 */
function roadLines(fc: GeoJSON.FeatureCollection): L.Polyline {
  const lines: L.LatLngTuple[][] = [];
  for (const feature of fc.features) {
    const g = feature.geometry;
    if (g.type === 'LineString') lines.push(toLatLngs(g.coordinates as [number, number][]));
    else if (g.type === 'MultiLineString') for (const part of g.coordinates) lines.push(toLatLngs(part as [number, number][]));
  }
  return L.polyline(lines, { color: '#8a94a0', weight: 1.5, opacity: 0.8, interactive: false });
}

/** A layer group that lives as long as the component and is cleared and refilled on each change. */
export function useLayer(map: L.Map | undefined, draw: (group: L.LayerGroup) => void, deps: unknown[]): void {
  const group = useRef<L.LayerGroup | undefined>(undefined);
  useEffect(() => {
    if (!map) return;
    group.current = L.layerGroup().addTo(map);
    return () => void group.current?.remove();
  }, [map]);
  useEffect(() => {
    if (!map || !group.current) return;
    group.current.clearLayers();
    draw(group.current);
  }, [map, ...deps]);
}

export const zoneColours: Record<ZoneStatus, string> = {
  sealed: '#b42318',
  controlled: '#dc6803',
  precaution: '#ca8a04',
  open: '#15803d',
};

export const tierColours: Record<number, string> = { 1: '#b42318', 2: '#dc6803', 3: '#2563eb' };

export const warehouseIcon = L.divIcon({ className: 'warehouse-icon', html: '<span>W</span>', iconSize: [22, 22] });

export const closureIcon = L.divIcon({ className: 'closure-icon', html: '<span>×</span>', iconSize: [22, 22] });

export function stopIcon(label: string, status: string, next = false): L.DivIcon {
  return L.divIcon({ className: `stop-icon stop-${status} ${next ? 'stop-next' : ''}`, html: asText(label), iconSize: [24, 24] });
}

/**
 * Text for a tooltip, popup or icon as an element holding it as text. Leaflet inserts a string as HTML,
 * and names, reasons and addresses are typed by people (or imported): never hand Leaflet those as strings.
 */
export function asText(text: string): HTMLElement {
  const span = document.createElement('span');
  span.textContent = text;
  return span;
}

/** GeoJSON [lon, lat] positions as Leaflet [lat, lon]. */
export const toLatLngs = (coordinates: [number, number][]) => coordinates.map(([lon, lat]) => [lat, lon] as L.LatLngTuple);

export function MapBox({ mapRef, network, class: cls }: { mapRef: RefObject<HTMLDivElement | null>; network: NetworkState; class?: string }) {
  return (
    <div class={`map-wrap ${cls ?? ''}`}>
      <div ref={mapRef} class="map" />
      {network === 'missing' && <div class="map-note">{t('map.noNetwork')}</div>}
    </div>
  );
}
