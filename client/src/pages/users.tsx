// The admin's accounts page: who may sign in, and which part of the operation a community worker or a
// coordinator works on (their communities, their warehouses; none chosen means all of them).
import { useState } from 'preact/hooks';
import { get, newIdempotencyKey, patch, post } from '../api.ts';
import { t } from '../i18n.ts';
import type { ListedUser, Role, Warehouse } from '../types.ts';
import { roles } from '../../../domain/values.ts';
import { ErrorNote, Field, formError, Show, useLoad, useSubmit } from '../components/ui.tsx';
import { useCatalogue } from '../catalogue.ts';

const communitiesOf = (text: string) => [...new Set(text.split(',').map((c) => c.trim()).filter(Boolean))];

export function UsersPage() {
  const [version, setVersion] = useState(0);
  const users = useLoad((signal) => get<ListedUser[]>('/users', undefined, signal), [version]);
  const catalogue = useCatalogue();
  return (
    <div class="page">
      <h1>{t('users.title')}</h1>
      <Show state={catalogue}>
        {(cat) => (
          <Show state={users}>
            {(list) => (
              <table class="table users-table">
                <thead>
                  <tr>
                    <th>{t('field.name')}</th>
                    <th>{t('field.role')}</th>
                    <th>{t('users.worksOn')}</th>
                    <th>{t('users.active')}</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {list.map((user) => (
                    <UserRow key={`${user.id}:${version}`} user={user} warehouses={cat.warehouses} />
                  ))}
                </tbody>
              </table>
            )}
          </Show>
        )}
      </Show>
      <NewUserForm onCreated={() => setVersion((v) => v + 1)} />
    </div>
  );
}

function UserRow({ user, warehouses }: { user: ListedUser; warehouses: Warehouse[] }) {
  const [communities, setCommunities] = useState((user.communities ?? []).join(', '));
  const [warehouseIds, setWarehouseIds] = useState(new Set(user.warehouseIds ?? []));
  const [active, setActive] = useState(user.active);
  const [state, setState] = useState<{ saving?: boolean; saved?: boolean; error?: unknown }>({});
  const toggle = (id: number) => setWarehouseIds((old) => new Set(old.has(id) ? [...old].filter((w) => w !== id) : [...old, id]));

  const save = async () => {
    setState({ saving: true });
    const scope =
      user.role === 'community'
        ? { communities: communitiesOf(communities).length ? communitiesOf(communities) : null }
        : user.role === 'coordinator'
          ? { warehouseIds: warehouseIds.size ? [...warehouseIds] : null }
          : {};
    try {
      await patch(`/users/${user.id}`, { ...scope, active });
      setState({ saved: true });
    } catch (error) {
      setState({ error });
    }
  };

  return (
    <tr>
      <td>
        {user.name}
        <br />
        <span class="muted">{user.email}</span>
      </td>
      <td>{t(`role.${user.role}`)}</td>
      <td>
        {user.role === 'community' && (
          <Field label={t('users.communities')} hint={t('users.communitiesHint')}>
            <input name={`communities-${user.id}`} value={communities} onInput={(e) => setCommunities(e.currentTarget.value)} />
          </Field>
        )}
        {user.role === 'coordinator' && (
          <fieldset class="checks">
            <legend>{t('users.warehousesHint')}</legend>
            {warehouses.map((w) => (
              <label key={w.id} class="check">
                <input type="checkbox" checked={warehouseIds.has(w.id)} onChange={() => toggle(w.id)} /> {w.name}
              </label>
            ))}
          </fieldset>
        )}
        {user.role !== 'community' && user.role !== 'coordinator' && <span class="muted">—</span>}
      </td>
      <td>
        <label class="check">
          <input type="checkbox" checked={active} onChange={(e) => setActive(e.currentTarget.checked)} aria-label={`${t('users.active')}: ${user.name}`} />
        </label>
      </td>
      <td>
        <button type="button" disabled={state.saving} onClick={() => void save()} aria-label={`${t('action.save')}: ${user.name}`}>
          {t('action.save')}
        </button>
        {state.saved && <span role="status"> {t('users.saved')}</span>}
        <ErrorNote error={state.error} />
      </td>
    </tr>
  );
}

function NewUserForm({ onCreated }: { onCreated: () => void }) {
  const empty = { email: '', name: '', role: 'community' as Role, password: '' };
  const [form, setForm] = useState(empty);
  const [key, setKey] = useState(newIdempotencyKey);
  const { busy, error, errors, onSubmit } = useSubmit();
  const set = (field: keyof typeof empty) => (e: { currentTarget: { value: string } }) => setForm((old) => ({ ...old, [field]: e.currentTarget.value }));

  const submit = onSubmit(async () => {
    await post('/users', form, key);
    setForm(empty);
    setKey(newIdempotencyKey());
    onCreated();
  });

  return (
    <form class="card form" onSubmit={submit}>
      <h2>{t('users.new')}</h2>
      <Field label={t('signIn.email')} error={errors.email}>
        <input name="email" type="email" value={form.email} onInput={set('email')} />
      </Field>
      <Field label={t('field.name')} error={errors.name}>
        <input name="name" value={form.name} onInput={set('name')} />
      </Field>
      <Field label={t('field.role')} error={errors.role}>
        <select name="role" value={form.role} onChange={set('role')}>
          {roles.map((role) => (
            <option key={role} value={role}>
              {t(`role.${role}`)}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('signIn.password')} error={errors.password}>
        <input name="password" type="password" autocomplete="new-password" value={form.password} onInput={set('password')} />
      </Field>
      <ErrorNote error={formError(error, ['email', 'name', 'role', 'password'])} />
      <button type="submit" disabled={busy}>
        {busy ? t('state.working') : t('users.create')}
      </button>
    </form>
  );
}
