// A place on the map for an address: a click (or a tap) puts the pin there; the coordinates stay editable
// below it for someone who knows them. Used where a driver has to find the spot (a pledge's collection point).
import L from 'leaflet';
import { useEffect, useRef } from 'preact/hooks';
import { t } from '../i18n.ts';
import { MapBox, useMap } from './map.tsx';
import { Field } from './ui.tsx';

export interface PointDraft {
  lat: string;
  lon: string;
}

export function PointPicker({ value, centre, onChange, errors }: { value: PointDraft; centre: L.LatLngTuple; onChange: (point: PointDraft) => void; errors: { lat?: string; lon?: string } }) {
  const { ref, map, network } = useMap({ zoom: 16 });
  const pin = useRef<L.CircleMarker | undefined>(undefined);
  const change = useRef(onChange);
  change.current = onChange;
  useEffect(() => {
    if (!map) return;
    const pick = (e: L.LeafletMouseEvent) => change.current({ lat: e.latlng.lat.toFixed(6), lon: e.latlng.lng.toFixed(6) });
    map.on('click', pick);
    return () => void map.off('click', pick);
  }, [map]);
  // The pin follows the coordinates, typed or picked; with none yet the map shows the area around `centre`.
  const at = [Number(value.lat), Number(value.lon)] as const;
  const placed = value.lat.trim() !== '' && value.lon.trim() !== '' && at.every(Number.isFinite);
  useEffect(() => {
    if (!map) return;
    pin.current?.remove();
    pin.current = placed ? L.circleMarker([at[0], at[1]], { radius: 8, color: '#b42318', weight: 3 }).addTo(map) : undefined;
  }, [map, placed, at[0], at[1]]);
  useEffect(() => {
    if (map && !placed) map.setView(centre);
  }, [map, centre[0], centre[1]]);
  return (
    <div class="point-picker">
      <span class="field-hint">{t('point.hint')}</span>
      <MapBox mapRef={ref} network={network} class="point-map" />
      <div class="form-grid">
        <Field label={t('field.lat')} error={errors.lat}>
          <input name="lat" inputMode="decimal" value={value.lat} onInput={(e) => onChange({ ...value, lat: e.currentTarget.value })} />
        </Field>
        <Field label={t('field.lon')} error={errors.lon}>
          <input name="lon" inputMode="decimal" value={value.lon} onInput={(e) => onChange({ ...value, lon: e.currentTarget.value })} />
        </Field>
      </div>
    </div>
  );
}
