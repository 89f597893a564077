// Asking to be registered, with no account (/register), and following the request by its reference
// (/r/<reference>): phone first, zh and en. A community worker checks each request before anything counts.
import { useState } from 'preact/hooks';
import { ApiError, get, request } from '../api.ts';
import { fmtDateTime, t, useLang } from '../i18n.ts';
import { navigate } from '../router.tsx';
import { vulnerabilityFlags, type VulnerabilityFlag } from '../../../domain/values.ts';
import { ErrorNote, Field, formError, useLoad, useSubmit } from '../components/ui.tsx';
import { LangSwitch } from '../components/shell.tsx';
import type { RegistrationView } from '../../../server/registrations/registrations.schema.ts';
import './resident.css';

function ResidentFrame({ title, children }: { title: string; children: preact.ComponentChildren }) {
  return (
    <main class="resident-page register-page">
      <header class="resident-head">
        <h1>{title}</h1>
        <LangSwitch />
      </header>
      {children}
    </main>
  );
}

const fields = ['name', 'address', 'phone', 'people', 'community'] as const;

export function RegisterPage() {
  const lang = useLang();
  const communities = useLoad((signal) => get<string[]>('/communities', undefined, signal), []);
  const [form, setForm] = useState<Record<(typeof fields)[number], string>>({ name: '', address: '', phone: '', people: '1', community: '' });
  const [flags, setFlags] = useState<Set<VulnerabilityFlag>>(new Set());
  const submit = useSubmit();
  const set = (field: (typeof fields)[number]) => (e: Event) => setForm({ ...form, [field]: (e.currentTarget as HTMLInputElement).value });
  const send = submit.onSubmit(async () => {
    const body = {
      name: form.name,
      address: form.address,
      ...(form.phone.trim() ? { phone: form.phone.trim() } : {}),
      people: Number(form.people),
      community: form.community,
      ...Object.fromEntries([...flags].map((f) => [f, true])),
    };
    const { reference } = await request<{ reference: string }>('POST', '/registrations', { body, query: { lang } });
    navigate(`/r/${reference}?new=1`);
  });
  const toggle = (flag: VulnerabilityFlag) => setFlags((old) => new Set(old.has(flag) ? [...old].filter((f) => f !== flag) : [...old, flag]));
  return (
    <ResidentFrame title={t('register.title')}>
      <p class="muted">{t('register.intro')}</p>
      <form class="resident-form" onSubmit={send}>
        <Field label={t('field.name')} error={submit.errors.name}>
          <input name="name" autoComplete="name" required value={form.name} onInput={set('name')} />
        </Field>
        <Field label={t('field.address')} error={submit.errors.address}>
          <input name="address" autoComplete="street-address" required value={form.address} onInput={set('address')} />
        </Field>
        <Field label={t('register.phone')} error={submit.errors.phone}>
          <input name="phone" type="tel" autoComplete="tel" value={form.phone} onInput={set('phone')} />
        </Field>
        <Field label={t('register.people')} error={submit.errors.people}>
          <input name="people" type="number" inputMode="numeric" min={1} max={100} required value={form.people} onInput={set('people')} />
        </Field>
        <Field label={t('field.community')} error={submit.errors.community}>
          <select name="community" required value={form.community} onChange={set('community')}>
            <option value="">{t('register.chooseCommunity')}</option>
            {(communities.data ?? []).map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </Field>
        <fieldset class="register-flags">
          <legend>{t('register.flags')}</legend>
          {vulnerabilityFlags.map((flag) => (
            <label key={flag} class="check">
              <input type="checkbox" name={flag} checked={flags.has(flag)} onChange={() => toggle(flag)} /> {t(`flag.${flag}`)}
            </label>
          ))}
        </fieldset>
        <ErrorNote error={formError(submit.error, [...fields])} />
        <button type="submit" class="primary" disabled={submit.busy}>
          {t('register.send')}
        </button>
      </form>
    </ResidentFrame>
  );
}

export function RegistrationStatusPage({ reference }: { reference: string }) {
  const lang = useLang();
  const view = useLoad((signal) => get<RegistrationView>(`/registrations/${encodeURIComponent(reference)}`, { lang }, signal), [reference, lang]);
  const isNew = new URLSearchParams(location.search).has('new');
  return (
    <ResidentFrame title={t('register.statusTitle')}>
      {isNew && <p class="resident-sent">{t('register.keepReference')}</p>}
      <p class="register-reference">{reference}</p>
      {view.data && (
        <section class={`resident-request status-${view.data.status}`} aria-live="polite">
          <div class="resident-request-head">
            <strong>{view.data.community}</strong>
            <span class="badge">{t(`register.status.${view.data.status}`)}</span>
          </div>
          <p>{view.data.statusText}</p>
          <p class="muted small">{t('register.sent', { at: fmtDateTime(view.data.createdAt) })}</p>
        </section>
      )}
      {view.error !== undefined && (
        <p class="resident-problem" role="alert">
          {view.error instanceof ApiError && (view.error.status === 404 || view.error.status === 429) ? view.error.message : t('resident.offline')}
        </p>
      )}
    </ResidentFrame>
  );
}
