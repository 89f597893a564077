// The frame around every signed-in page: the app name, the pages of the user's role, the live
// connection state, the language switch and sign-out.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Link, usePath } from '../router.tsx';
import { setLang, t, useLang, type MessageKey } from '../i18n.ts';
import { onLiveState, type LiveState } from '../live.ts';
import type { Me, Role } from '../types.ts';

const coordinatorPages: [string, MessageKey][] = [
  ['/coordinator', 'nav.map'],
  ['/coordinator/stock', 'nav.stock'],
  ['/coordinator/packs', 'nav.packs'],
  ['/coordinator/donations', 'nav.donations'],
  ['/coordinator/plans', 'nav.plans'],
  ['/coordinator/board', 'nav.board'],
  ['/coordinator/dashboard', 'nav.dashboard'],
  ['/coordinator/campaigns', 'nav.campaigns'],
  ['/coordinator/recalls', 'nav.recalls'],
  ['/coordinator/reports', 'nav.reports'],
  ['/community', 'nav.needSheet'],
  ['/community/queue', 'nav.queue'],
];

const pagesOf: Record<Role, [string, MessageKey][]> = {
  admin: [...coordinatorPages, ['/admin/users', 'nav.users'], ['/admin/audit', 'nav.audit']],
  coordinator: coordinatorPages,
  charity: [['/charity', 'nav.donate']],
  community: [
    ['/community', 'nav.needSheet'],
    ['/community/queue', 'nav.queue'],
    ['/community/import', 'nav.import'],
    ['/community/slips', 'nav.slips'],
    ['/community/recalls', 'nav.recalls'],
  ],
  driver: [['/driver', 'nav.route']],
};

export function LangSwitch() {
  const lang = useLang();
  return (
    <button type="button" class="lang-switch" onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')} title={t('action.switchLanguage')}>
      {lang === 'zh' ? 'English' : '中文'}
    </button>
  );
}

function LiveBadge() {
  const [state, setState] = useState<LiveState>('offline');
  useEffect(() => onLiveState(setState), []);
  return (
    <span class={`live-badge live-${state}`} title={t(`live.${state}`)}>
      <span class="dot" aria-hidden="true" /> <span class="live-text">{t(`live.${state}`)}</span>
    </span>
  );
}

export function Shell({ me, onSignOut, children }: { me: Me; onSignOut: () => void; children: ComponentChildren }) {
  useLang();
  const path = usePath();
  const pages = pagesOf[me.role];
  // The page whose address is the longest prefix of the current one is the one we are on.
  const current = pages
    .map(([href]) => href)
    .filter((href) => path === href || path.startsWith(`${href}/`))
    .sort((a, b) => b.length - a.length)[0];
  const active = (href: string) => (href === current ? 'active' : '');
  return (
    <div class="shell">
      <header class="topbar">
        <Link href={pages[0]![0]} class="brand">
          Lifeline
        </Link>
        {pages.length > 1 && (
          <nav class="nav" aria-label={t('nav.label')}>
            {pages.map(([href, key]) => (
              <Link key={href} href={href} class={active(href)}>
                {t(key)}
              </Link>
            ))}
          </nav>
        )}
        <div class="topbar-end">
          {me.role !== 'charity' && <LiveBadge />}
          <span class="who" title={me.email}>
            {me.name} · {t(`role.${me.role}`)}
          </span>
          <LangSwitch />
          <button type="button" class="link-button" onClick={onSignOut}>
            {t('action.signOut')}
          </button>
        </div>
      </header>
      <main class="content">{children}</main>
    </div>
  );
}
