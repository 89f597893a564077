// The coordinators' live board: every route of the day with its progress, the stops of the routes opened
// on it and drivers' positions on the map, updated as deliveries and positions arrive over the live connection.
import L from 'leaflet';
import { useEffect, useRef, useState } from 'preact/hooks';
import { get, getAll, getCounted } from '../api.ts';
import { fmtDateTime, fmtNumber, fmtTime, t, tOr } from '../i18n.ts';
import type { Driver, Route, RouteSummary, StopStatus } from '../types.ts';
import { routeKinds, routeStatuses, stopStatuses, type RouteKind, type RouteStatus } from '../../../domain/values.ts';
import { isMissingEndpoint, NotYet, Show, useLoad } from '../components/ui.tsx';
import { asText, MapBox, toLatLngs, useLayer, useMap } from '../components/map.tsx';
import { onLive, onLiveResync } from '../live.ts';
import { downloadCsv } from '../csv.ts';
import { readRoute } from '../route-data.ts';

const BOARD_PAGE = 200;

/** What the board lists: routes of a kind, in a state, with a failed stop (the server's filters). */
interface BoardFilter {
  kind?: RouteKind;
  status?: RouteStatus;
  failed?: 'true';
}

const routeColours = ['#2563eb', '#db2777', '#059669', '#7c3aed', '#ea580c', '#0891b2', '#65a30d', '#be123c', '#4f46e5', '#a16207'];

export function BoardPage() {
  const { ref, map, network } = useMap();
  // The board lists each route summed up (a district's page of routes with every stop and item was megabytes);
  // a route opened on it is read whole, its stops drawn on the map and in the list.
  // A district's day has thousands: the board asks the server for the routes the coordinator filters to, a
  // page at a time, and says how many there are.
  const [filter, setFilter] = useState<BoardFilter>({});
  const [pages, setPages] = useState(1);
  const [total, setTotal] = useState(0);
  const routes = useLoad(async () => {
    const list: RouteSummary[] = [];
    for (let page = 0; page < pages; page++) {
      const { items, total } = await getCounted<RouteSummary>('/routes', { ...filter, view: 'summary', limit: BOARD_PAGE, offset: page * BOARD_PAGE });
      list.push(...items);
      setTotal(total);
      if (items.length < BOARD_PAGE) break;
    }
    return list;
  }, [filter, pages]);
  const filterBy = (change: BoardFilter) => {
    setFilter((f) => ({ ...f, ...change }));
    setPages(1);
  };
  const drivers = useLoad(() => getAll<Driver>('/drivers'), []);
  const [opened, setOpened] = useState<Record<number, Route>>({});
  // The routes shown and opened now, for the live handlers (subscribed once).
  const shown = useRef({ routes: routes.data, opened });
  shown.current = { routes: routes.data, opened };
  const [positions, setPositions] = useState<Record<number, { lat: number; lon: number; at: string }>>({});
  const [feed, setFeed] = useState<{ at: string; text: string }[]>([]);

  const open = (id: number) => void get<Record<string, unknown>>(`/routes/${id}`).then((raw) => setOpened((o) => ({ ...o, [id]: readRoute(raw) })), routes.reload);
  const close = (id: number) => setOpened(({ [id]: _, ...rest }) => rest);

  useEffect(() => {
    const offs = [
      onLive('stop:updated', (e) => {
        // Only a pending stop gets an outcome: it leaves pending for its new state.
        const status = e.data.status as StopStatus;
        routes.setData((rs) => rs?.map((r) => (r.id === e.data.routeId ? { ...r, stopsByStatus: { ...r.stopsByStatus, pending: r.stopsByStatus.pending - 1, [status]: r.stopsByStatus[status] + 1 } } : r)));
        setOpened((o) => {
          const route = o[e.data.routeId];
          return route ? { ...o, [route.id]: { ...route, stops: route.stops.map((s) => (s.id === e.data.stopId ? { ...s, status } : s)) } } : o;
        });
        setFeed((f) => [{ at: e.at, text: t('board.stopEvent', { stop: e.data.stopId, route: e.data.routeId, status: tOr(`stop.${e.data.status}`, e.data.status) }) }, ...f].slice(0, 30));
      }),
      onLive('route:updated', (e) => {
        // Only the route that changed is read again (its driver's few routes summed up, and the route itself when opened):
        // a board of hundreds of routes is not reloaded per change.
        const id = e.data.routeId;
        const route = shown.current.routes?.find((r) => r.id === id);
        if (route) {
          void get<RouteSummary[]>('/routes', { view: 'summary', driverId: route.driverId }).then((fresh) => routes.setData((rs) => rs?.map((r) => fresh.find((f) => f.id === r.id) ?? r)), routes.reload);
          if (shown.current.opened[id]) open(id);
        } else routes.reload();
        setFeed((f) => [{ at: e.at, text: t('board.routeEvent', { route: e.data.routeId, reason: e.data.reason }) }, ...f].slice(0, 30));
      }),
      onLive('route:assigned', () => routes.reload()),
      onLive('plan:status', () => routes.reload()),
      onLive('board:position', (e) => setPositions((p) => ({ ...p, [e.data.driverId]: { lat: e.data.lat, lon: e.data.lon, at: e.at } }))),
      onLiveResync(() => {
        routes.reload();
        for (const id of Object.keys(shown.current.opened)) open(Number(id));
      }),
    ];
    return () => offs.forEach((off) => off());
  }, []);

  const driverName = (id: number) => drivers.data?.find((d) => d.id === id)?.name ?? `#${id}`;
  const colourOf = (id: number) => routeColours[Math.max(0, routes.data?.findIndex((r) => r.id === id) ?? 0) % routeColours.length]!;

  useLayer(
    map,
    (g) => {
      for (const route of Object.values(opened)) {
        const colour = colourOf(route.id);
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
    [opened, routes.data, drivers.data],
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

  const exportCsv = (list: RouteSummary[]) =>
    downloadCsv('board.csv', [
      ['route', 'driver', 'kind', 'route_status', 'stops', ...stopStatuses, 'weight_kg'],
      ...list.map((r) => [r.id, driverName(r.driverId), r.kind, r.status, r.stopCount, ...stopStatuses.map((s) => r.stopsByStatus[s]), r.weightKg]),
    ]);

  return (
    <div class="map-page">
      <MapBox mapRef={ref} network={network} class="map-main" />
      <aside class="side-panel board-panel">
        <h1>{t('board.title')}</h1>
        <div class="board-filters">
          <label>
            {t('board.kind')}{' '}
            <select value={filter.kind ?? ''} onChange={(e) => filterBy({ kind: (e.currentTarget.value || undefined) as RouteKind | undefined })}>
              <option value="">{t('board.allKinds')}</option>
              {routeKinds.map((k) => (
                <option value={k}>{t(`routeKind.${k}`)}</option>
              ))}
            </select>
          </label>
          <label>
            {t('board.state')}{' '}
            <select value={filter.status ?? ''} onChange={(e) => filterBy({ status: (e.currentTarget.value || undefined) as RouteStatus | undefined })}>
              <option value="">{t('board.allStates')}</option>
              {routeStatuses.map((k) => (
                <option value={k}>{tOr(`route.${k}`, k)}</option>
              ))}
            </select>
          </label>
          <label>
            <input type="checkbox" checked={filter.failed === 'true'} onChange={(e) => filterBy({ failed: e.currentTarget.checked ? 'true' : undefined })} /> {t('board.onlyFailed')}
          </label>
        </div>
        {isMissingEndpoint(routes.error) ? (
          <NotYet what={t('board.title')} />
        ) : (
          <Show state={routes}>
            {(list) =>
              list.length === 0 ? (
                <p class="muted">{t(Object.values(filter).some(Boolean) ? 'board.noneFiltered' : 'board.none')}</p>
              ) : (
                <>
                  <p class="muted small board-count">{t('board.shown', { shown: fmtNumber(list.length), total: fmtNumber(total) })}</p>
                  <button type="button" onClick={() => exportCsv(list)}>
                    {t('action.exportCsv')}
                  </button>
                  <ul class="route-list">
                    {list.map((r, i) => {
                      const stops = opened[r.id]?.stops;
                      return (
                        <li key={r.id} class="route-card" data-route={r.id}>
                          <div class="row-between">
                            <strong>
                              <i class="swatch" style={{ background: routeColours[i % routeColours.length] }} /> {driverName(r.driverId)}
                            </strong>
                            <span class="badge">{tOr(`route.${r.status}`, r.status)}</span>
                          </div>
                          <div class="muted small">
                            {t(`routeKind.${r.kind}`)} · {t('board.progress', { done: r.stopCount - r.stopsByStatus.pending, total: r.stopCount })}
                            {r.stopsByStatus.failed > 0 && <> · {t('board.failed', { n: r.stopsByStatus.failed })}</>} · {fmtNumber(Math.round(r.weightKg))} kg
                          </div>
                          <button type="button" class="link-button small" aria-expanded={stops !== undefined} onClick={() => (stops ? close(r.id) : open(r.id))}>
                            {stops ? t('board.hideStops') : t('board.showStops')}
                          </button>
                          {stops && (
                            <ol class="stop-dots" aria-label={t('board.stops')}>
                              {stops.map((s) => (
                                <li key={s.id} class={`dot-${s.status}`} title={`${s.seq}. ${tOr(`stop.${s.status}`, s.status)}${s.proof ? ` · ${t('board.handedTo', { who: s.proof.receiverName, how: t(`handover.${s.proof.handedTo}`), at: fmtDateTime(s.proof.deviceTime) })}${s.proof.hasPhoto ? ' 📷' : ''}` : ''}`} data-stop={s.id} data-status={s.status} />
                              ))}
                            </ol>
                          )}
                        </li>
                      );
                    })}
                  </ul>
                  {list.length < total && (
                    <button type="button" class="board-more" onClick={() => setPages((p) => p + 1)}>
                      {t('board.more')}
                    </button>
                  )}
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
