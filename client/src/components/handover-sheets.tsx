// A dispatched plan's handover sheets, for volunteers with no app: per gate (every walking route from it) and per
// building leader (one walking route), a button that prints the sheet as a PDF in the page's language. Printing
// again replaces the earlier sheet's codes (the server says so), so the button says it too.
import { getAll } from '../api.ts';
import { currentLang, t } from '../i18n.ts';
import { downloadFile } from '../download.ts';
import type { Driver, Zone } from '../types.ts';
import { ErrorNote, Show, useLoad, useSubmit } from './ui.tsx';

/** What this panel reads of a route. */
interface Walk {
  id: number;
  kind: 'vehicle' | 'walking';
  status: string;
  gateId: number | null;
  driverId: number;
  stopCount: number;
}

export function HandoverSheets({ planId }: { planId: number }) {
  const data = useLoad(
    async () => {
      const [routes, zones, drivers] = await Promise.all([getAll<Walk>('/routes', { planId, view: 'summary' }), getAll<Zone>('/zones'), getAll<Driver>('/drivers', { kind: 'gate_volunteer' })]);
      const walks = routes.filter((r) => r.kind === 'walking' && r.gateId !== null && r.status !== 'completed' && r.status !== 'cancelled');
      const gates = new Map(zones.flatMap((z) => z.gates).map((g) => [g.id, g.name]));
      const walkers = new Map(drivers.map((d) => [d.id, d.name]));
      const byGate = new Map<number, Walk[]>();
      for (const walk of walks) byGate.set(walk.gateId!, [...(byGate.get(walk.gateId!) ?? []), walk]);
      return { byGate: [...byGate].map(([gateId, list]) => ({ gateId, gate: gates.get(gateId) ?? `#${gateId}`, walks: list })), walkers };
    },
    [planId],
  );
  const { busy, error, run } = useSubmit();
  const print = (path: string, body: object, name: string) => run(async () => void (await downloadFile('POST', path, { body: { ...body, lang: currentLang() } }, name)));
  return (
    <section class="card handover-sheets">
      <h2>{t('sheets.title')}</h2>
      <p class="muted">{t('sheets.hint')}</p>
      {error !== undefined && <ErrorNote error={error} />}
      <Show state={data}>
        {({ byGate, walkers }) =>
          byGate.length === 0 ? (
            <p class="muted">{t('sheets.none')}</p>
          ) : (
            <ul class="plain-list">
              {byGate.map(({ gateId, gate, walks }) => (
                <li key={gateId} data-gate={gateId}>
                  <button type="button" disabled={busy} onClick={() => print(`/gates/${gateId}/handover-sheet`, { planId }, `handover-sheet-gate-${gateId}.pdf`)}>
                    {t('sheets.gate', { gate })}
                  </button>
                  <ul class="plain-list indent">
                    {walks.map((w) => (
                      <li key={w.id} data-route={w.id}>
                        <button type="button" disabled={busy} onClick={() => print(`/routes/${w.id}/handover-sheet`, {}, `handover-sheet-${w.id}.pdf`)}>
                          {t('sheets.route', { walker: walkers.get(w.driverId) ?? `#${w.driverId}`, n: w.stopCount })}
                        </button>
                      </li>
                    ))}
                  </ul>
                </li>
              ))}
            </ul>
          )
        }
      </Show>
    </section>
  );
}
