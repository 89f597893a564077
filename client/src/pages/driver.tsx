// The driver's and gate volunteer's phone screen: today's route as a list and on the map (with where the
// van goes back to the warehouse to reload between trips), the next stop with its path, one-tap delivered,
// collected (a pledge picked up at its collection point) or failed-with-reason. Actions go through the offline queue,
// so they survive a flaky connection and are recorded once each; the screen says what is waiting.
import L from 'leaflet';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { get, getAll, post } from '../api.ts';
import { fmtDuration, fmtKm, fmtNumber, fmtTime, t, tOr } from '../i18n.ts';
import type { FailureReason, Me, PathAnswer, Route, Stop, StopStatus, Warehouse } from '../types.ts';
import { failureReasons, handovers, type Handover } from '../../../domain/values.ts';
import { ErrorNote, isMissingEndpoint, NotYet, Show, useLoad } from '../components/ui.tsx';
import { SignatureField } from '../components/signature.tsx';
import { MapBox, stopIcon, toLatLngs, useLayer, useMap } from '../components/map.tsx';
import { onLive, onLiveResync } from '../live.ts';
import { dismiss, flush, onQueueChange, perform, queued, type QueuedAction } from '../queue.ts';
import { readRoutes } from '../route-data.ts';

function useQueue(): QueuedAction[] {
  const [actions, setActions] = useState(queued);
  useEffect(() => onQueueChange(() => setActions(queued())), []);
  return actions;
}

function useOnline(): boolean {
  const [online, setOnline] = useState(navigator.onLine);
  useEffect(() => {
    const up = () => setOnline(true);
    const down = () => setOnline(false);
    window.addEventListener('online', up);
    window.addEventListener('offline', down);
    return () => {
      window.removeEventListener('online', up);
      window.removeEventListener('offline', down);
    };
  }, []);
  return online;
}

/** Sends the phone's position now and then, for the coordinators' board (never queued: stale positions are useless). */
function useReportPosition(enabled: boolean): { lat: number; lon: number } | undefined {
  const [position, setPosition] = useState<{ lat: number; lon: number }>();
  useEffect(() => {
    if (!enabled || !navigator.geolocation) return;
    let lastSent = 0;
    const id = navigator.geolocation.watchPosition(
      (p) => {
        const here = { lat: p.coords.latitude, lon: p.coords.longitude };
        setPosition(here);
        if (Date.now() - lastSent > 30_000) {
          lastSent = Date.now();
          void post('/me/position', here).catch(() => undefined);
        }
      },
      () => undefined,
      { enableHighAccuracy: true, maximumAge: 15_000 },
    );
    return () => navigator.geolocation.clearWatch(id);
  }, [enabled]);
  return position;
}

export function DriverPage({ me }: { me: Me }) {
  const routes = useLoad(() => get<unknown>('/me/route').then(readRoutes), []);
  const warehouses = useLoad(() => getAll<Warehouse>('/warehouses'), []);
  const actions = useQueue();
  const online = useOnline();
  const [view, setView] = useState<'list' | 'map'>('list');

  useEffect(() => {
    const offs = [onLive('route:assigned', routes.reload), onLive('route:updated', routes.reload), onLive('stop:updated', routes.reload), onLiveResync(routes.reload)];
    const retry = setInterval(() => void flush(), 20_000);
    return () => {
      offs.forEach((off) => off());
      clearInterval(retry);
    };
  }, []);

  // When the queue shrinks, the server has taken something: show the route as it now stands.
  const queueLength = useRef(actions.length);
  useEffect(() => {
    if (actions.length < queueLength.current) routes.reload();
    queueLength.current = actions.length;
  }, [actions.length]);

  /** What the phone did but the server has not confirmed yet, by stop. */
  const waiting = useMemo(() => {
    const m = new Map<number, StopStatus>();
    for (const a of actions) {
      const stopId = /^\/stops\/(\d+)\/status$/.exec(a.path)?.[1];
      if (stopId && !a.refused) m.set(Number(stopId), (a.body as { status: StopStatus }).status);
    }
    return m;
  }, [actions]);

  const route = routes.data?.find((r) => r.stops.some((s) => s.status === 'pending' && !waiting.has(s.id))) ?? routes.data?.[0];
  const position = useReportPosition(!!route);

  return (
    <div class="driver-page">
      <SyncBar actions={actions} online={online} />
      {isMissingEndpoint(routes.error) ? (
        <div class="page">
          <NotYet what={t('driver.title')} />
        </div>
      ) : (
        <Show state={routes}>
          {(list) =>
            !route ? (
              <div class="page">
                <h1>{t('driver.title')}</h1>
                <p class="muted">{t('driver.noRoute', { name: me.name })}</p>
              </div>
            ) : (
              <>
                <div class="view-switch" role="tablist">
                  <button type="button" role="tab" aria-selected={view === 'list'} class={view === 'list' ? 'active' : ''} onClick={() => setView('list')}>
                    {t('driver.list')}
                  </button>
                  <button type="button" role="tab" aria-selected={view === 'map'} class={view === 'map' ? 'active' : ''} onClick={() => setView('map')}>
                    {t('driver.map')}
                  </button>
                </div>
                <RouteView route={route} otherRoutes={list.length - 1} waiting={waiting} view={view} position={position} warehouse={warehouses.data?.find((w) => w.id === route.warehouseId)} />
              </>
            )
          }
        </Show>
      )}
    </div>
  );
}

function SyncBar({ actions, online }: { actions: QueuedAction[]; online: boolean }) {
  const pending = actions.filter((a) => !a.refused);
  const refused = actions.filter((a) => a.refused);
  if (online && actions.length === 0) return null;
  return (
    <div class={`sync-bar ${online ? '' : 'offline'}`} role="status" aria-live="polite">
      {!online && <strong>{t('driver.offline')} </strong>}
      {pending.length > 0 && (
        <details>
          <summary>{t('driver.waiting', { n: pending.length })}</summary>
          <ul>
            {pending.map((a) => (
              <li key={a.key}>
                {a.label} <span class="muted">{fmtTime(a.madeAt)}</span>
              </li>
            ))}
          </ul>
          <button type="button" onClick={() => void flush()}>
            {t('driver.syncNow')}
          </button>
        </details>
      )}
      {refused.map((a) => (
        <div key={a.key} class="refused">
          {t('driver.refused', { what: a.label, why: a.refused! })}{' '}
          <button type="button" class="small-button" onClick={() => void dismiss(a.key)}>
            {t('action.dismiss')}
          </button>
        </div>
      ))}
    </div>
  );
}

function RouteView({ route, otherRoutes, waiting, view, position, warehouse }: { route: Route; otherRoutes: number; waiting: Map<number, StopStatus>; view: 'list' | 'map'; position?: { lat: number; lon: number }; warehouse?: Warehouse }) {
  const statusOf = (s: Stop): StopStatus => waiting.get(s.id) ?? s.status;
  const next = route.stops.find((s) => statusOf(s) === 'pending');
  const previous = next ? [...route.stops].reverse().find((s) => s.seq < next.seq) : undefined;
  const from = position ?? previous ?? warehouse;
  const path = useLoad(
    (signal) =>
      next && from
        ? get<PathAnswer>('/paths', { from: `${from.lat},${from.lon}`, to: `${next.lat},${next.lon}`, mode: route.kind === 'walking' ? 'foot' : 'car' }, signal)
        : Promise.resolve(undefined),
    [next?.id, from && `${from.lat.toFixed(4)},${from.lon.toFixed(4)}`],
  );
  const done = route.stops.filter((s) => statusOf(s) !== 'pending').length;

  return (
    <div class={`route-view show-${view}`}>
      <section class="route-list-pane">
        <div class="route-head">
          <h1>{route.kind === 'walking' ? t('driver.walkingTour') : t('driver.title')}</h1>
          <span class="muted">
            {t('board.progress', { done, total: route.stops.length })}
            {otherRoutes > 0 && ` · ${t('driver.moreRoutes', { n: otherRoutes })}`}
          </span>
          <RouteActions route={route} />
        </div>
        {next ? <NextStop key={next.id} stop={next} path={path.data} pathMissing={isMissingEndpoint(path.error)} position={position} /> : <p class="ok-note">{t('driver.allDone')}</p>}
        <ol class="stops">
          {route.stops.map((s, k) => [
            route.reloads?.includes(k) && (
              <li key={`reload-${k}`} class="reload-note small">
                ↺ {t('driver.reload', { trip: s.trip ?? '' })}
              </li>
            ),
            <li key={s.id} class={`stop stop-${statusOf(s)} ${s === next ? 'is-next' : ''}`} data-stop={s.id}>
              <span class="seq">{s.seq}</span>
              <div class="stop-body">
                <div>
                  <strong>{whoAt(s)}</strong> {s.eta && <span class="muted small">{fmtTime(s.eta)}</span>}
                </div>
                {addressOf(s) && <div class="small">{addressOf(s)}</div>}
                <div class="small muted">{goodsOf(s).map((i) => `${fmtNumber(i.quantity)} × ${i.name}`).join(', ')}</div>
              </div>
              <span class={`badge stop-badge-${statusOf(s)}`}>
                {tOr(`stop.${statusOf(s)}`, statusOf(s))}
                {waiting.has(s.id) && ` · ${t('driver.notSynced')}`}
              </span>
            </li>,
          ])}
        </ol>
      </section>
      <RouteMap route={route} next={next} path={path.data} statusOf={statusOf} position={position} />
    </div>
  );
}

/** Whom a stop is for: the household, the pledge's donor, or the kind of stop. */
const whoAt = (s: Stop) => s.recipient?.name ?? s.pledge?.donorName ?? t(`stopKind.${s.kind}`);
const addressOf = (s: Stop) => s.recipient?.address ?? s.pledge?.address;
/** What changes hands at a stop: the goods handed over, or the pledge's goods loaded at a collection. */
const goodsOf = (s: Stop) => (s.pledge ? s.pledge.items.map((i) => ({ name: i.commodity, quantity: i.quantity })) : s.items);

function RouteActions({ route }: { route: Route }) {
  const [error, setError] = useState<unknown>();
  const act = (what: 'accept' | 'pickup', label: string) => perform(`/routes/${route.id}/${what}`, {}, label).catch(setError);
  return (
    <div class="actions">
      {route.status === 'assigned' && (
        <button type="button" onClick={() => act('accept', t('driver.acceptedRoute'))}>
          {t('driver.accept')}
        </button>
      )}
      {(route.status === 'assigned' || route.status === 'accepted') && route.kind === 'vehicle' && (
        <button type="button" class="primary" onClick={() => act('pickup', t('driver.pickedUp'))}>
          {t('driver.pickup')}
        </button>
      )}
      <ErrorNote error={error} />
    </div>
  );
}

/** The largest photo the server keeps (server/dispatch/proof-image.ts). */
const MAX_PHOTO_BYTES = 1_000_000;

function NextStop({ stop, path, pathMissing, position }: { stop: Stop; path?: PathAnswer; pathMissing: boolean; position?: { lat: number; lon: number } }) {
  const [failing, setFailing] = useState(false);
  const [reason, setReason] = useState<FailureReason>();
  const [note, setNote] = useState('');
  const [handedTo, setHandedTo] = useState<Handover>('recipient');
  const [receiver, setReceiver] = useState(stop.recipient?.name ?? '');
  const [photo, setPhoto] = useState<{ data?: string; error?: string }>({});
  const [signature, setSignature] = useState<string>();
  const [expiresOn, setExpiresOn] = useState('');
  const who = whoAt(stop);
  const phone = stop.recipient?.phone ?? stop.pledge?.donorContact;
  const collection = stop.kind === 'collection';
  const collect = () => void perform(`/stops/${stop.id}/status`, { status: 'collected', expiresOn: expiresOn || undefined }, t('driver.collectedFrom', { who }));
  // The phone's time and place are taken at the tap and travel in the queued body: a later sync keeps them.
  const deliver = () => {
    const name = receiver.trim();
    const proof = name ? { receiverName: name, handedTo, photo: photo.data, signature, deviceTime: new Date().toISOString(), position } : undefined;
    void perform(`/stops/${stop.id}/status`, { status: 'delivered', proof }, t('driver.deliveredTo', { who: name || who }));
  };
  const choosePhoto = (file: File | undefined) => {
    if (!file) return setPhoto({});
    if (file.size > MAX_PHOTO_BYTES) return setPhoto({ error: t('driver.photoTooLarge') });
    const reader = new FileReader();
    reader.onload = () => setPhoto({ data: String(reader.result) });
    reader.readAsDataURL(file);
  };
  const fail = () => {
    if (!reason) return;
    void perform(`/stops/${stop.id}/status`, { status: 'failed', reason, note: note.trim() || undefined }, t('driver.failedAt', { who, reason: t(`failure.${reason}`) }));
    setFailing(false);
    setReason(undefined);
    setNote('');
  };
  return (
    <section class="next-stop card" aria-label={t('driver.nextStop')}>
      <div class="muted small">
        {t('driver.nextStop')} · {stop.seq} · {t(`stopKind.${stop.kind}`)} {stop.eta && `· ${t('driver.eta', { time: fmtTime(stop.eta) })}`}
      </div>
      <h2>{who}</h2>
      {addressOf(stop) && <p class="address">{addressOf(stop)}</p>}
      {phone && /\d/.test(phone) && (
        <p>
          <a href={`tel:${phone.replace(/[^+0-9]/g, '')}`} class="button">
            {t('driver.call')} {phone}
          </a>
        </p>
      )}
      <ul class="items-list">
        {goodsOf(stop).map((i, k) => (
          <li key={k}>
            <strong>{fmtNumber(i.quantity)}</strong> × {i.name}
          </li>
        ))}
      </ul>
      {path && path.reachable !== false && <p class="small">{t('driver.pathInfo', { time: fmtDuration(path.timeS), length: fmtKm(path.lengthM) })}</p>}
      {path?.reachable === false && <p class="warn-note small">{t('driver.noWay', { reason: path.reason ?? '' })}</p>}
      {pathMissing && <p class="muted small">{t('driver.noPath')}</p>}
      {!collection && !failing && (
        <fieldset class="proof-form">
          <legend class="small">{t('driver.handedTo')}</legend>
          <div class="reason-grid">
            {handovers.map((h) => (
              <button type="button" key={h} class={handedTo === h ? 'primary' : ''} aria-pressed={handedTo === h} onClick={() => setHandedTo(h)}>
                {t(`handover.${h}`)}
              </button>
            ))}
          </div>
          <label class="field">
            <span class="field-label">{t('driver.receiverName')}</span>
            <input name="receiverName" value={receiver} onInput={(e) => setReceiver(e.currentTarget.value)} />
          </label>
          <label class="field">
            <span class="field-label">{t('driver.photo')}</span>
            <input name="photo" type="file" accept="image/jpeg,image/png,image/webp" capture="environment" onChange={(e) => choosePhoto(e.currentTarget.files?.[0])} />
          </label>
          {photo.error && <p class="error-note small">{photo.error}</p>}
          <SignatureField onChange={setSignature} />
        </fieldset>
      )}
      {collection && !failing && (
        <label class="field">
          <span class="field-label">{t('driver.expiresOn')}</span>
          <input name="expiresOn" type="date" value={expiresOn} onInput={(e) => setExpiresOn(e.currentTarget.value)} />
        </label>
      )}
      {!failing && (
        <div class="big-actions">
          <button type="button" class="primary big" onClick={collection ? collect : deliver}>
            ✓ {t(collection ? 'driver.collected' : 'driver.delivered')}
          </button>
          <button type="button" class="danger-outline big" onClick={() => setFailing(true)}>
            ✗ {t(collection ? 'driver.notCollected' : 'driver.failed')}
          </button>
        </div>
      )}
      {failing && (
        <div class="fail-form">
          <p>{t('driver.whyFailed')}</p>
          <div class="reason-grid">
            {failureReasons.map((r) => (
              <button type="button" key={r} class={reason === r ? 'primary' : ''} aria-pressed={reason === r} onClick={() => setReason(r)}>
                {t(`failure.${r}`)}
              </button>
            ))}
          </div>
          <label class="field">
            <span class="field-label">{t('field.note')}</span>
            <input name="note" value={note} onInput={(e) => setNote(e.currentTarget.value)} />
          </label>
          <div class="big-actions">
            <button type="button" class="danger big" disabled={!reason} onClick={fail}>
              {t('driver.reportFailed')}
            </button>
            <button type="button" class="big" onClick={() => setFailing(false)}>
              {t('action.cancel')}
            </button>
          </div>
        </div>
      )}
    </section>
  );
}

function RouteMap({ route, next, path, statusOf, position }: { route: Route; next?: Stop; path?: PathAnswer; statusOf: (s: Stop) => StopStatus; position?: { lat: number; lon: number } }) {
  const { ref, map, network } = useMap({ network: route.kind === 'walking' ? 'walk' : 'drive', zoom: 16 });
  useLayer(
    map,
    (g) => {
      if (route.geometry) L.polyline(toLatLngs(route.geometry.coordinates), { color: '#0b5563', weight: 3, opacity: 0.5 }).addTo(g);
      if (path?.reachable) L.polyline(toLatLngs(path.geometry.coordinates), { color: '#db2777', weight: 5 }).addTo(g);
      for (const s of route.stops) L.marker([s.lat, s.lon], { icon: stopIcon(String(s.seq), statusOf(s), s === next) }).addTo(g);
      if (position) L.circleMarker([position.lat, position.lon], { radius: 7, color: '#fff', weight: 2, fillColor: '#2563eb', fillOpacity: 1 }).addTo(g);
    },
    [route, path, next?.id, position],
  );
  useEffect(() => {
    if (map && next) map.setView([next.lat, next.lon], Math.max(map.getZoom(), 16));
  }, [map, next?.id]);
  return <MapBox mapRef={ref} network={network} class="route-map-pane" />;
}
