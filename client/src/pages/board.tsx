// The coordinators' live board: every route of the day with its stops, drivers' positions on the
// map, updated as deliveries and positions arrive over the live connection.
import L from 'leaflet';
import { useEffect, useRef, useState } from 'preact/hooks';
import { get, getAll } from '../api.ts';
import { fmtDateTime, fmtTime, t, tOr } from '../i18n.ts';
import type { Driver, Route } from '../types.ts';
import { isMissingEndpoint, NotYet, Show, useLoad } from '../components/ui.tsx';
import { asText, MapBox, toLatLngs, useLayer, useMap } from '../components/map.tsx';
import { onLive, onLiveResync } from '../live.ts';
import { downloadCsv } from '../csv.ts';
import { readRoute, readRoutes } from '../route-data.ts';

const routeColours = ['#2563eb', '#db2777', '#059669', '#7c3aed', '#ea580c', '#0891b2', '#65a30d', '#be123c', '#4f46e5', '#a16207'];

export function BoardPage() {
  const { ref, map, network } = useMap();
  const routes = useLoad(() => get<unknown>('/routes', { limit: 500 }).then(readRoutes), []);
  const drivers = useLoad(() => getAll<Driver>('/drivers'), []);
  // The routes shown now, for the live handlers (subscribed once).
  const shown = useRef(routes.data);
  shown.current = routes.data;
  const [positions, setPositions] = useState<Record<number, { lat: number; lon: number; at: string }>>({});
  const [feed, setFeed] = useState<{ at: string; text: string }[]>([]);

  useEffect(() => {
    const offs = [
      onLive('stop:updated', (e) => {
        routes.setData((rs) => rs?.map((r) => (r.id === e.data.routeId ? { ...r, stops: r.stops.map((s) => (s.id === e.data.stopId ? { ...s, status: e.data.status as Route['stops'][number]['status'] } : s)) } : r)));
        setFeed((f) => [{ at: e.at, text: t('board.stopEvent', { stop: e.data.stopId, route: e.data.routeId, status: tOr(`stop.${e.data.status}`, e.data.status) }) }, ...f].slice(0, 30));
      }),
      onLive('route:updated', (e) => {
        // Only the route that changed is read again: a board of hundreds of routes is not reloaded per change.
        const id = e.data.routeId;
        if (shown.current?.some((r) => r.id === id)) void get<Record<string, unknown>>(`/routes/${id}`).then((raw) => routes.setData((rs) => rs?.map((r) => (r.id === id ? readRoute(raw) : r))), routes.reload);
        else routes.reload();
        setFeed((f) => [{ at: e.at, text: t('board.routeEvent', { route: e.data.routeId, reason: e.data.reason }) }, ...f].slice(0, 30));
      }),
      onLive('route:assigned', () => routes.reload()),
      onLive('plan:status', () => routes.reload()),
      onLive('board:position', (e) => setPositions((p) => ({ ...p, [e.data.driverId]: { lat: e.data.lat, lon: e.data.lon, at: e.at } }))),
      onLiveResync(routes.reload),
    ];
    return () => offs.forEach((off) => off());
  }, []);

  const driverName = (id: number) => drivers.data?.find((d) => d.id === id)?.name ?? `#${id}`;

  useLayer(
    map,
    (g) => {
      for (const [i, route] of (routes.data ?? []).entries()) {
        const colour = routeColours[i % routeColours.length]!;
        if (route.geometry) L.polyline(toLatLngs(route.geometry.coordinates), { color: colour, weight: 3, opacity: 0.7 }).addTo(g);
        const next = route.stops.find((s) => s.status === 'pending');
        if (!route.geometry) L.polyline(route.stops.map((s) => [s.lat, s.lon] as L.LatLngTuple), { color: colour, weight: 1.5, opacity: 0.5, dashArray: '4 4' }).addTo(g);
        for (const stop of route.stops) {
          const fill = stop.status === 'delivered' ? '#15803d' : stop.status === 'failed' ? '#b42318' : '#fff';
          L.circleMarker([stop.lat, stop.lon], { radius: stop === next ? 8 : 5, color: colour, weight: stop === next ? 4 : 2, fillColor: fill, fillOpacity: 1 })
            .bindTooltip(asText(`${driverName(route.driverId)} · ${stop.seq}. ${stop.recipient?.name ?? t(`stopKind.${stop.kind}`)} · ${tOr(`stop.${stop.status}`, stop.status)}`))
            .addTo(g);
        }
      }
    },
    [routes.data, drivers.data],
  );
  useLayer(
    map,
    (g) => {
      for (const [id, p] of Object.entries(positions)) {
        L.circleMarker([p.lat, p.lon], { radius: 8, color: '#111', weight: 2, fillColor: '#facc15', fillOpacity: 1 }).bindTooltip(asText(`${driverName(Number(id))} · ${fmtTime(p.at)}`), { permanent: true, direction: 'right' }).addTo(g);
      }
    },
    [positions, drivers.data],
  );

  const exportCsv = (list: Route[]) =>
    downloadCsv('board.csv', [
      ['route', 'driver', 'kind', 'route_status', 'stop', 'seq', 'stop_kind', 'stop_status', 'eta'],
      ...list.flatMap((r) => r.stops.map((s) => [r.id, driverName(r.driverId), r.kind, r.status, s.id, s.seq, s.kind, s.status, s.eta ?? ''])),
    ]);

  return (
    <div class="map-page">
      <MapBox mapRef={ref} network={network} class="map-main" />
      <aside class="side-panel board-panel">
        <h1>{t('board.title')}</h1>
        {isMissingEndpoint(routes.error) ? (
          <NotYet what={t('board.title')} />
        ) : (
          <Show state={routes}>
            {(list) =>
              list.length === 0 ? (
                <p class="muted">{t('board.none')}</p>
              ) : (
                <>
                  <button type="button" onClick={() => exportCsv(list)}>
                    {t('action.exportCsv')}
                  </button>
                  <ul class="route-list">
                    {list.map((r, i) => {
                      const done = r.stops.filter((s) => s.status !== 'pending').length;
                      return (
                        <li key={r.id} class="route-card" data-route={r.id}>
                          <div class="row-between">
                            <strong>
                              <i class="swatch" style={{ background: routeColours[i % routeColours.length] }} /> {driverName(r.driverId)}
                            </strong>
                            <span class="badge">{tOr(`route.${r.status}`, r.status)}</span>
                          </div>
                          <div class="muted small">
                            {t(`routeKind.${r.kind}`)} · {t('board.progress', { done, total: r.stops.length })}
                          </div>
                          <ol class="stop-dots" aria-label={t('board.stops')}>
                            {r.stops.map((s) => (
                              <li key={s.id} class={`dot-${s.status}`} title={`${s.seq}. ${tOr(`stop.${s.status}`, s.status)}${s.proof ? ` · ${t('board.handedTo', { who: s.proof.receiverName, how: t(`handover.${s.proof.handedTo}`), at: fmtDateTime(s.proof.deviceTime) })}${s.proof.hasPhoto ? ' 📷' : ''}` : ''}`} data-stop={s.id} data-status={s.status} />
                            ))}
                          </ol>
                        </li>
                      );
                    })}
                  </ul>
                </>
              )
            }
          </Show>
        )}
        {feed.length > 0 && (
          <>
            <h2>{t('board.feed')}</h2>
            <ul class="feed small" aria-live="polite">
              {feed.map((f, i) => (
                <li key={i}>
                  <time>{fmtDateTime(f.at)}</time> {f.text}
                </li>
              ))}
            </ul>
          </>
        )}
      </aside>
    </div>
  );
}
