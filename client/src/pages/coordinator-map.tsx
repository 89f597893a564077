// The coordinator's map: road network, warehouses, needs coloured by tier and fulfilment, zones by
// status and road closures; a zone's status and the closures are edited right here. The needs are asked
// for view by view (GET /map/needs): the server clusters them, so a district's half a million never cross.
import L from 'leaflet';
import { useEffect, useRef, useState } from 'preact/hooks';
import { del, get, getAll, newIdempotencyKey, put, request } from '../api.ts';
import { fmtDate, fmtPercent, t, tOr } from '../i18n.ts';
import type { Closure, NeedCluster, NeedMap, Warehouse, Zone, ZoneStatus } from '../types.ts';
import { MAP_SINGLES_ZOOM, zoneStatuses } from '../../../domain/values.ts';
import { ErrorNote, Field, isMissingEndpoint, formError, NotYet, useLoad, useSubmit } from '../components/ui.tsx';
import { asText, closureIcon, MapBox, tierColours, useLayer, useMap, warehouseIcon, zoneColours, toLatLngs } from '../components/map.tsx';

type Selection = { kind: 'zone'; zone: Zone } | { kind: 'newClosure'; lat: number; lon: number } | { kind: 'closure'; closure: Closure } | undefined;

export function CoordinatorMap() {
  const { ref, map, network } = useMap();
  const warehouses = useLoad(() => getAll<Warehouse>('/warehouses'), []);
  const zones = useLoad(() => getAll<Zone>('/zones'), []);
  const needs = useNeedMap(map);
  const closures = useLoad(() => getAll<Closure>('/network/closures'), []);
  const [show, setShow] = useState({ warehouses: true, needs: true, zones: true, closures: true });
  const [selection, setSelection] = useState<Selection>();
  const [placing, setPlacing] = useState(false);
  // Zones catch clicks before the map does: while placing a closure, a click on a zone places it too.
  const placingRef = useRef(false);
  placingRef.current = placing;
  const placeClosure = (at: L.LatLng) => {
    setSelection({ kind: 'newClosure', lat: at.lat, lon: at.lng });
    setPlacing(false);
  };

  useLayer(
    map,
    (g) => {
      if (!show.zones) return;
      for (const zone of zones.data ?? []) {
        const colour = zoneColours[zone.status];
        L.polygon(zone.polygon.coordinates.map(toLatLngs), { color: colour, weight: 2, fillOpacity: 0.15, dashArray: zone.status === 'sealed' ? undefined : '6 4' })
          .bindTooltip(asText(`${zone.name}: ${t(`zone.${zone.status}`)}`))
          .on('click', (e) => {
            L.DomEvent.stopPropagation(e);
            if (placingRef.current) placeClosure(e.latlng);
            else setSelection({ kind: 'zone', zone });
          })
          .addTo(g);
        for (const gate of zone.gates) L.circleMarker([gate.lat, gate.lon], { radius: 5, color: colour, fillColor: '#fff', fillOpacity: 1, weight: 3 }).bindTooltip(asText(`${t('map.gate')}: ${gate.name}`)).addTo(g);
      }
    },
    [zones.data, show.zones],
  );
  useLayer(
    map,
    (g) => {
      if (!show.needs || !map || !needs.data) return;
      for (const cluster of needs.data.clusters) {
        const [west, south, east, north] = cluster.bounds;
        L.marker([cluster.lat, cluster.lon], { icon: clusterIcon(cluster), title: t('map.cluster', { n: cluster.count, delivered: fmtPercent(cluster.fulfilled) }) })
          .on('click', () => map.fitBounds([[south, west], [north, east]], { maxZoom: MAP_SINGLES_ZOOM }))
          .addTo(g);
      }
      for (const need of needs.data.needs) {
        L.circleMarker([need.lat, need.lon], { radius: need.tier === 1 ? 6 : 4.5, color: tierColours[need.tier], weight: 1.5, fillColor: tierColours[need.tier], fillOpacity: 0.25 + 0.75 * (1 - need.fulfilled) })
          .bindTooltip(asText(`${need.household} · ${t('map.tier', { n: need.tier })} · ${fmtPercent(need.fulfilled)}`))
          .addTo(g);
      }
    },
    [needs.data, show.needs],
  );
  // The district where its warehouses are: a map that opens elsewhere (on the demo's Monaco) moves to them.
  useEffect(() => {
    const all = warehouses.data ?? [];
    if (!map || all.length === 0 || all.some((w) => map.getBounds().contains([w.lat, w.lon]))) return;
    map.fitBounds(L.latLngBounds(all.map((w) => [w.lat, w.lon] as L.LatLngTuple)), { padding: [20, 20] });
  }, [map, warehouses.data]);
  useLayer(
    map,
    (g) => {
      if (!show.warehouses) return;
      for (const w of warehouses.data ?? []) L.marker([w.lat, w.lon], { icon: warehouseIcon, title: w.name }).bindTooltip(asText(w.name)).addTo(g);
    },
    [warehouses.data, show.warehouses],
  );
  useLayer(
    map,
    (g) => {
      if (!show.closures) return;
      for (const c of closures.data ?? []) {
        L.circle([c.lat, c.lon], { radius: c.radiusM ?? 30, color: '#111', weight: 1, fillColor: '#b42318', fillOpacity: 0.3 }).addTo(g);
        L.marker([c.lat, c.lon], { icon: closureIcon, title: c.reason })
          .bindTooltip(asText(c.reason))
          .on('click', () => setSelection({ kind: 'closure', closure: c }))
          .addTo(g);
      }
    },
    [closures.data, show.closures],
  );
  useEffect(() => {
    if (!placing || !map) return;
    const onClick = (e: L.LeafletMouseEvent) => placeClosure(e.latlng);
    map.getContainer().classList.add('placing');
    map.on('click', onClick);
    return () => {
      map.off('click', onClick);
      map.getContainer().classList.remove('placing');
    };
  }, [placing, map]);

  const counts = needs.data?.tiers ?? {};
  const closuresMissing = isMissingEndpoint(closures.error);

  return (
    <div class="map-page">
      <MapBox mapRef={ref} network={network} class="map-main" />
      <aside class="side-panel">
        <fieldset class="layers">
          <legend>{t('map.layers')}</legend>
          {(['warehouses', 'needs', 'zones', 'closures'] as const).map((k) => (
            <label class="check" key={k}>
              <input type="checkbox" checked={show[k]} onChange={(e) => setShow({ ...show, [k]: e.currentTarget.checked })} /> {t(`map.${k}`)}
            </label>
          ))}
        </fieldset>
        <div class="legend">
          {[1, 2, 3].map((tier) => (
            <span key={tier}>
              <i class="swatch round" style={{ background: tierColours[tier] }} /> {t('map.tier', { n: tier })} ({counts[tier] ?? 0})
            </span>
          ))}
          <span class="muted small">{t('map.inView')} {t('map.fulfilmentLegend')}</span>
          {zoneStatuses.map((s) => (
            <span key={s}>
              <i class="swatch" style={{ background: zoneColours[s] }} /> {t(`zone.${s}`)}
            </span>
          ))}
        </div>
        {(needs.error || zones.error || warehouses.error) && <ErrorNote error={needs.error ?? zones.error ?? warehouses.error} />}
        <div class="side-section">
          <h2>{t('map.closures')}</h2>
          {closuresMissing ? (
            <NotYet what={t('map.closures')} />
          ) : (
            <>
              <button type="button" class={placing ? 'primary' : ''} onClick={() => setPlacing(!placing)} aria-pressed={placing}>
                {placing ? t('map.clickToPlace') : t('map.addClosure')}
              </button>
              <ul class="plain-list">
                {(closures.data ?? []).map((c) => (
                  <li key={c.id}>
                    <button type="button" class="link-button" onClick={() => { setSelection({ kind: 'closure', closure: c }); map?.setView([c.lat, c.lon], 17); }}>
                      <span class="closure-mark" aria-hidden="true">×</span> {c.reason}
                    </button>
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
        {selection?.kind === 'zone' && <ZoneEditor key={selection.zone.id} zone={selection.zone} onSaved={() => { zones.reload(); setSelection(undefined); }} onClose={() => setSelection(undefined)} />}
        {selection?.kind === 'newClosure' && <ClosureForm at={selection} onSaved={() => { closures.reload(); setSelection(undefined); }} onClose={() => setSelection(undefined)} />}
        {selection?.kind === 'closure' && (
          <ClosureCard closure={selection.closure} onRemoved={() => { closures.reload(); setSelection(undefined); }} onClose={() => setSelection(undefined)} />
        )}
        <p class="muted small">{t('map.zoneHint')}</p>
      </aside>
    </div>
  );
}

function ZoneEditor({ zone, onSaved, onClose }: { zone: Zone; onSaved: () => void; onClose: () => void }) {
  const [status, setStatus] = useState<ZoneStatus>(zone.status);
  const [note, setNote] = useState('');
  const { error, errors, onSubmit } = useSubmit();
  const history = useLoad(() => get<{ status: string; statusOn: string; note: string | null }[]>(`/zones/${zone.id}/history`), [zone.id]);
  const save = onSubmit(async () => {
    await put(`/zones/${zone.id}`, { status, note: note.trim() || undefined });
    onSaved();
  });
  return (
    <form class="side-section card zone-editor" onSubmit={save} noValidate>
      <div class="row-between">
        <h2>{zone.name}</h2>
        <button type="button" class="icon-button" aria-label={t('action.close')} onClick={onClose}>
          ×
        </button>
      </div>
      <Field label={t('zone.status')} error={errors.status ?? errors.gates}>
        <select name="status" value={status} onChange={(e) => setStatus(e.currentTarget.value as ZoneStatus)}>
          {zoneStatuses.map((s) => (
            <option key={s} value={s}>
              {t(`zone.${s}`)}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('field.note')} error={errors.note}>
        <input name="note" value={note} onInput={(e) => setNote(e.currentTarget.value)} />
      </Field>
      <ErrorNote error={formError(error, ['status', 'gates', 'note'])} />
      <button type="submit" class="primary">
        {t('action.save')}
      </button>
      {history.data && (
        <ol class="history small">
          {history.data.slice(-5).reverse().map((h, i) => (
            <li key={i}>
              {fmtDate(h.statusOn)}: {tOr(`zone.${h.status}`, h.status)} {h.note ? `— ${h.note}` : ''}
            </li>
          ))}
        </ol>
      )}
    </form>
  );
}

function ClosureForm({ at, onSaved, onClose }: { at: { lat: number; lon: number }; onSaved: () => void; onClose: () => void }) {
  const [reason, setReason] = useState('');
  const [radius, setRadius] = useState('30');
  const [layer, setLayer] = useState<'drive' | 'walk'>('drive');
  const [key] = useState(newIdempotencyKey);
  const { error, errors, onSubmit } = useSubmit();
  const save = onSubmit(async () => {
    await request('POST', '/network/closures', { body: { lat: at.lat, lon: at.lon, radiusM: Number(radius) || undefined, layer, reason }, idempotencyKey: key });
    onSaved();
  });
  return (
    <form class="side-section card" onSubmit={save} noValidate>
      <div class="row-between">
        <h2>{t('map.newClosure')}</h2>
        <button type="button" class="icon-button" aria-label={t('action.close')} onClick={onClose}>
          ×
        </button>
      </div>
      <p class="muted small mono">
        {at.lat.toFixed(5)}, {at.lon.toFixed(5)}
      </p>
      <Field label={t('map.reason')} error={errors.reason}>
        <input name="reason" value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
      </Field>
      <Field label={t('map.radius')} error={errors.radiusM}>
        <input name="radiusM" type="number" min={1} value={radius} onInput={(e) => setRadius(e.currentTarget.value)} />
      </Field>
      <Field label={t('map.closureFor')} error={errors.layer}>
        <select name="layer" value={layer} onChange={(e) => setLayer(e.currentTarget.value as 'drive' | 'walk')}>
          <option value="drive">{t('map.closureDrive')}</option>
          <option value="walk">{t('map.closureWalk')}</option>
        </select>
      </Field>
      <ErrorNote error={formError(error, ['reason', 'radiusM', 'layer'])} />
      <button type="submit" class="primary">
        {t('map.closeRoad')}
      </button>
    </form>
  );
}

function ClosureCard({ closure, onRemoved, onClose }: { closure: Closure; onRemoved: () => void; onClose: () => void }) {
  const { error, run } = useSubmit();
  const remove = () =>
    run(async () => {
      await del(`/network/closures/${closure.id}`);
      onRemoved();
    });
  return (
    <div class="side-section card">
      <div class="row-between">
        <h2><span class="closure-mark" aria-hidden="true">×</span> {closure.reason}</h2>
        <button type="button" class="icon-button" aria-label={t('action.close')} onClick={onClose}>
          ×
        </button>
      </div>
      <ErrorNote error={error} />
      <button type="button" onClick={remove}>
        {t('map.reopenRoad')}
      </button>
    </div>
  );
}

/**
 * The open needs of the map's view, asked for again a moment after each pan or zoom ends; an answer for a
 * view already left is dropped (its request aborted), and the last answer stays drawn until the next arrives.
 */
function useNeedMap(map: L.Map | undefined) {
  const [state, setState] = useState<{ data?: NeedMap; error?: Error }>({});
  useEffect(() => {
    if (!map) return;
    let pending: AbortController | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ask = () => {
      pending?.abort();
      const asking = (pending = new AbortController());
      const b = map.getBounds();
      const clamp = (v: number, limit: number) => Math.max(-limit, Math.min(limit, v)).toFixed(6);
      const bbox = [clamp(b.getWest(), 180), clamp(b.getSouth(), 90), clamp(b.getEast(), 180), clamp(b.getNorth(), 90)].join(',');
      get<NeedMap>('/map/needs', { bbox, zoom: Math.round(map.getZoom()) }, asking.signal).then(
        (data) => !asking.signal.aborted && setState({ data }),
        (error: Error) => !asking.signal.aborted && setState((s) => ({ ...s, error })),
      );
    };
    const moved = () => {
      clearTimeout(timer);
      timer = setTimeout(ask, 200);
    };
    map.on('moveend', moved);
    ask();
    return () => {
      map.off('moveend', moved);
      clearTimeout(timer);
      pending?.abort();
    };
  }, [map]);
  return state;
}

/** A cluster's disc, sized by how many needs it holds and coloured by its most vulnerable tier (the count as text, never as HTML from data). */
function clusterIcon({ count, worstTier }: NeedCluster): L.DivIcon {
  const size = count < 100 ? 30 : count < 1000 ? 38 : 46;
  return L.divIcon({ className: `need-cluster tier-${worstTier}`, html: asText(count >= 1000 ? `${Math.round(count / 1000)}k` : String(count)), iconSize: [size, size] });
}
