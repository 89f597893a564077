// The resident's contact phone, updated from their own page (a number the community worker set by hand
// stays until the worker reviews the change; the server says which, in the reader's language).
import { useState } from 'preact/hooks';
import { request } from '../api.ts';
import { t, useLang } from '../i18n.ts';
import { ErrorNote, Field, formError, useSubmit } from '../components/ui.tsx';

export function PhoneForm({ code }: { code: string }) {
  const lang = useLang();
  const [phone, setPhone] = useState('');
  const [answer, setAnswer] = useState<string>();
  const submit = useSubmit();
  const send = submit.onSubmit(async () => {
    const res = await request<{ text: string }>('POST', `/resident/${encodeURIComponent(code)}/phone`, { body: { phone: phone.trim() }, query: { lang } });
    setAnswer(res.text);
  });
  return (
    <details class="resident-phone">
      <summary>{t('resident.phone.title')}</summary>
      <form class="resident-form" onSubmit={send} onInput={() => setAnswer(undefined)}>
        <Field label={t('resident.phone.label')} error={submit.errors.phone}>
          <input name="phone" type="tel" autoComplete="tel" required value={phone} onInput={(e) => setPhone(e.currentTarget.value)} />
        </Field>
        <ErrorNote error={formError(submit.error, ['phone'])} />
        {answer && <p role="status">{answer}</p>}
        <button type="submit" disabled={submit.busy}>
          {t('resident.phone.save')}
        </button>
      </form>
    </details>
  );
}
