// Small building blocks every screen uses: loading a resource, sending a form, showing an error in plain
// words, a labelled field with its own error, a "not available yet" state, a progress bar.
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api.ts';
import { t } from '../i18n.ts';
import { downloadCsv } from '../csv.ts';

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
  setData: (update: T | ((old: T | undefined) => T | undefined)) => void;
}

/** Loads data when the deps change; keeps the last data while reloading. */
export function useLoad<T>(loader: (signal: AbortSignal) => Promise<T>, deps: unknown[]): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const abort = new AbortController();
    setLoading(true);
    loader(abort.signal).then(
      (value) => {
        if (abort.signal.aborted) return;
        setData(() => value);
        setError(undefined);
        setLoading(false);
      },
      (e: unknown) => {
        if (abort.signal.aborted) return;
        setError(e);
        setLoading(false);
      },
    );
    return () => abort.abort();
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data, error, loading, reload, setData: setData as Loaded<T>['setData'] };
}

/** True when the API has no such endpoint yet (it is still being built). */
export const isMissingEndpoint = (e: unknown) => e instanceof ApiError && e.status === 404 && e.message.startsWith('endpoint ');

const zodPhrases: [RegExp, (m: RegExpMatchArray) => string][] = [
  [/^Too small: expected string to have >=1 characters?/, () => t('reason.required')],
  [/^Too small: expected string to have >=(\d+) characters?/, (m) => t('reason.minLength', { n: Number(m[1]) })],
  [/^Too big: expected string to have <=(\d+) characters?/, (m) => t('reason.maxLength', { n: Number(m[1]) })],
  [/^Too small: expected number to be >=(-?[\d.]+)/, (m) => t('reason.min', { n: Number(m[1]) })],
  [/^Too small: expected number to be >(-?[\d.]+)/, (m) => t('reason.above', { n: Number(m[1]) })],
  [/^Too big: expected number to be <=(-?[\d.]+)/, (m) => t('reason.max', { n: Number(m[1]) })],
  [/^Too big: expected number to be <(-?[\d.]+)/, (m) => t('reason.below', { n: Number(m[1]) })],
  [/^Too small: expected array to have >=(\d+) items?/, () => t('reason.required')],
  [/expected number, received NaN|expected number/, () => t('reason.number')],
  [/expected int|Invalid input: expected int/, () => t('reason.wholeNumber')],
  [/^Invalid email/, () => t('reason.email')],
  [/^Invalid ISO date|Invalid date/, () => t('reason.date')],
  [/^Invalid option/, () => t('reason.choice')],
  [/expected string, received undefined|received undefined/, () => t('reason.required')],
];

/** A server reason in plain words (the schema's own sentences pass through unchanged). */
export function plainReason(reason: string): string {
  for (const [re, say] of zodPhrases) {
    const m = reason.match(re);
    if (m) return say(m);
  }
  return reason;
}

/** What went wrong, in words a user can act on. */
export function plainError(error: unknown): string {
  if (!(error instanceof ApiError)) return t('error.unexpected', { detail: String((error as Error)?.message ?? error) });
  if (error.offline) return t('error.offline');
  if (error.status === 401) return t('error.signedOut');
  if (error.status === 403) return t('error.forbidden', { detail: error.message });
  if (error.status === 400 && error.fields.length) return t('error.checkFields');
  if (error.status >= 500) return t('error.server', { id: String(error.body.requestId ?? '') });
  return error.message;
}

/** An error in plain words, with the field problems it carries (forms pass only those they did not place). */
export function ErrorNote({ error }: { error: unknown }) {
  if (!error) return null;
  const unshown = error instanceof ApiError ? error.fields : [];
  return (
    <div class="error-note" role="alert">
      <strong>{plainError(error)}</strong>
      {unshown.length > 0 && (
        <ul>
          {unshown.map((f) => (
            <li key={f.field}>
              {f.field.replace(/^body\./, '')}: {plainReason(f.reason)}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/**
 * What a form shows in its general error note: the field problems it did not place next to an input,
 * or the whole error when it names no field (offline, conflict, server trouble).
 */
export function formError(error: unknown, placed: string[]): unknown {
  if (!(error instanceof ApiError) || error.fields.length === 0) return error;
  const fields = error.fields.filter((f) => !placed.includes(f.field.replace(/^(body|query|path)\.?/, '')));
  return fields.length ? new ApiError(error.status, error.message, fields, error.body) : undefined;
}

export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const raw = error.byField();
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, plainReason(v)]));
}

/** A form's sending: busy while the action runs, and the error it ended with (field problems by field). */
export function useSubmit() {
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  /** Runs the action, clearing the last error first; true when it succeeded. */
  const run = async (action: () => Promise<void>): Promise<boolean> => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
      return true;
    } catch (err) {
      setError(err);
      return false;
    } finally {
      setBusy(false);
    }
  };
  /** A form's onSubmit: no page load, then the action. */
  const onSubmit = (action: () => Promise<void>) => (e: Event) => {
    e.preventDefault();
    void run(action);
  };
  return { busy, error, errors: fieldErrors(error), run, onSubmit };
}

export function Field(props: { label: string; error?: string; hint?: string; children: ComponentChildren; class?: string }) {
  return (
    <label class={`field ${props.error ? 'has-error' : ''} ${props.class ?? ''}`}>
      <span class="field-label">{props.label}</span>
      {props.children}
      {props.hint && !props.error && <span class="field-hint">{props.hint}</span>}
      {props.error && (
        <span class="field-error" role="alert">
          {props.error}
        </span>
      )}
    </label>
  );
}

/** The standard states of a loaded resource: loading, not available yet, failed, or the content. */
export function Show<T>({ state, children, what }: { state: Loaded<T>; children: (data: T) => ComponentChildren; what?: string }) {
  // A failed reload keeps what was shown (a driver offline still sees the route), with the problem above it.
  if (state.data !== undefined) {
    return (
      <>
        {state.error !== undefined && <ErrorNote error={state.error} />}
        {children(state.data)}
      </>
    );
  }
  if (state.error) {
    if (isMissingEndpoint(state.error)) return <NotYet what={what} />;
    return (
      <div>
        <ErrorNote error={state.error} />
        <button type="button" onClick={state.reload}>
          {t('action.retry')}
        </button>
      </div>
    );
  }
  return <p class="muted" aria-busy="true">{t('state.loading')}</p>;
}

export function NotYet({ what }: { what?: string }) {
  return (
    <div class="not-yet" role="status">
      <strong>{t('state.notYet')}</strong> {what && <span>{what}</span>} <span class="muted">{t('state.notYetHint')}</span>
    </div>
  );
}

export function Progress({ fraction, label }: { fraction: number; label: string }) {
  return (
    <div class="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(fraction * 100)} aria-label={label}>
      <div class="progress-bar" style={{ width: `${Math.max(2, Math.min(100, fraction * 100))}%` }} />
      <span class="progress-label">{label}</span>
    </div>
  );
}

/** State that survives a reload of the page (drafts of forms: nothing typed is lost). */
export function useDraft<T>(key: string, initial: T): [T, (value: T | ((old: T) => T)) => void, () => void] {
  const storageKey = `lifeline.draft.${key}`;
  const [value, setValue] = useState<T>(() => {
    try {
      const saved = sessionStorage.getItem(storageKey);
      return saved ? (JSON.parse(saved) as T) : initial;
    } catch {
      return initial;
    }
  });
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    sessionStorage.setItem(storageKey, JSON.stringify(value));
  }, [value]);
  const clear = () => {
    sessionStorage.removeItem(storageKey);
    setValue(initial);
  };
  return [value, setValue, clear];
}

/** The options of a commodity picker: name and unit, after a "choose" entry. */
export function CommodityOptions({ commodities, choose }: { commodities: { id: number | string; name: string; unit: string }[]; choose: string }) {
  return (
    <>
      <option value="">{choose}</option>
      {commodities.map((c) => (
        <option key={c.id} value={c.id}>
          {c.name} ({c.unit})
        </option>
      ))}
    </>
  );
}

/** A labelled picker of the one warehouse a page shows (its stock, its packs). */
export function WarehousePicker({ warehouses, value, onChange }: { warehouses: { id: number; name: string }[]; value: number | undefined; onChange: (id: number) => void }) {
  return (
    <label class="inline-field">
      {t('field.warehouse')}{' '}
      <select name="warehouse" value={value} onChange={(e) => onChange(Number(e.currentTarget.value))}>
        {warehouses.map((w) => (
          <option key={w.id} value={w.id}>
            {w.name}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Downloads what is on screen as CSV; the rows are built only when clicked. */
export function ExportCsvButton({ filename, rows }: { filename: string; rows: () => Parameters<typeof downloadCsv>[1] }) {
  return (
    <button type="button" onClick={() => downloadCsv(filename, rows())}>
      {t('action.exportCsv')}
    </button>
  );
}
