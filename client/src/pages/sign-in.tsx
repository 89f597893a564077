// Sign-in: email and password; the server answers with a session cookie and the role, and the app
// opens the role's home page.
import { useState } from 'preact/hooks';
import { get, post } from '../api.ts';
import { t } from '../i18n.ts';
import type { Me, Role } from '../types.ts';
import { ErrorNote, Field, formError, useSubmit } from '../components/ui.tsx';
import { LangSwitch } from '../components/shell.tsx';
import { Link } from '../router.tsx';

export function SignIn({ onSignedIn }: { onSignedIn: (me: Me) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, errors, run } = useSubmit();

  const submit = async (e: Event) => {
    e.preventDefault();
    const signedIn = await run(async () => {
      // The server answers with the session cookie; the page never holds the token.
      await post<{ role: Role }>('/auth/login', { email, password });
      onSignedIn(await get<Me>('/auth/me'));
    });
    if (!signedIn) setPassword('');
  };

  return (
    <main class="sign-in">
      <div class="sign-in-card">
        <div class="sign-in-head">
          <h1>Lifeline</h1>
          <LangSwitch />
        </div>
        <p class="muted">{t('signIn.tagline')}</p>
        <form onSubmit={submit} noValidate>
          <Field label={t('signIn.email')} error={errors.email}>
            <input name="email" type="email" autocomplete="username" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
          </Field>
          <Field label={t('signIn.password')} error={errors.password}>
            <input name="password" type="password" autocomplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
          </Field>
          <ErrorNote error={formError(error, ['email', 'password'])} />
          <button type="submit" class="primary wide" disabled={busy}>
            {busy ? t('state.working') : t('signIn.submit')}
          </button>
        </form>
        <p class="muted small">
          <Link href="/track">{t('signIn.trackLink')}</Link>
        </p>
        <p class="muted small">
          <Link href="/register">{t('signIn.registerLink')}</Link>
        </p>
      </div>
    </main>
  );
}
