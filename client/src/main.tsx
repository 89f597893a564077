// The web app's entry: who is signed in, the page for the current path, and the shell around it.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import './styles.css';
import { ApiError, get, post, whenSignedOut } from './api.ts';
import { connectLive, disconnectLive } from './live.ts';
import { openQueue } from './queue.ts';
import { forgetOfflineData, registerServiceWorker } from './offline.ts';
import { navigate, usePath, match } from './router.tsx';
import { t, useLang } from './i18n.ts';
import type { Me, Role } from './types.ts';
import { Shell } from './components/shell.tsx';
import { SignIn } from './pages/sign-in.tsx';
import { HandoverPage } from './pages/handover.tsx';
import { TrackPage } from './pages/track.tsx';
import { ResidentPage } from './pages/resident.tsx';
import { SlipsPage } from './pages/slips.tsx';
import { RegisterPage, RegistrationStatusPage } from './pages/registration.tsx';
import { CharityPage } from './pages/charity.tsx';
import { CommunityPage } from './pages/community.tsx';
import { DriverPage } from './pages/driver.tsx';
import { CoordinatorMap } from './pages/coordinator-map.tsx';
import { StockPage } from './pages/stock.tsx';
import { PacksPage } from './pages/packs.tsx';
import { ReceivePage } from './pages/receive.tsx';
import { PlansPage, PlanPage } from './pages/plans.tsx';
import { BoardPage } from './pages/board.tsx';
import { DashboardPage } from './pages/dashboard.tsx';
import { UsersPage } from './pages/users.tsx';
import { AuditPage } from './pages/audit.tsx';
import { RecallsPage } from './pages/recalls.tsx';
import { ReportsPage } from './pages/reports.tsx';
import { CampaignLivePage, CampaignPage, CampaignsPage } from './pages/campaigns.tsx';
import { ErrorNote } from './components/ui.tsx';

const homeOf: Record<Role, string> = {
  admin: '/coordinator',
  coordinator: '/coordinator',
  charity: '/charity',
  community: '/community',
  driver: '/driver',
};

function App() {
  useLang();
  const path = usePath();
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [error, setError] = useState<unknown>();

  useEffect(
    () =>
      whenSignedOut(() => {
        void forgetOfflineData();
        setMe(null);
      }),
    [],
  );
  useEffect(() => {
    if (me !== undefined) return;
    get<Me>('/auth/me').then(setMe, (e) => (e instanceof ApiError && e.status === 401 ? setMe(null) : setError(e)));
  }, [me]);
  useEffect(() => {
    if (!me) return;
    void openQueue(me.id);
    if (me.role !== 'charity') connectLive(me.id);
    return disconnectLive;
  }, [me?.id]);

  const track = match('/track/:code', path);
  if (track || path === '/track') return <TrackPage code={track?.code} />;
  const household = match('/h/:code', path);
  if (household) return <ResidentPage code={household.code} />;
  if (path === '/register') return <RegisterPage />;
  const registration = match('/r/:reference', path);
  if (registration) return <RegistrationStatusPage reference={registration.reference} />;
  const handover = match('/s/:code', path);
  if (handover) return <HandoverPage code={handover.code} />;
  const campaign = match('/c/:id', path);
  if (campaign) return <CampaignPage id={campaign.id} />;
  if (me === null) return <SignIn onSignedIn={(user) => { setMe(user); navigate(homeOf[user.role], true); }} />;
  if (me === undefined) {
    return error ? (
      <main class="page narrow">
        <ErrorNote error={error} />
        <button onClick={() => { setError(undefined); setMe(undefined); }}>{t('action.retry')}</button>
      </main>
    ) : (
      <p class="muted page">{t('state.loading')}</p>
    );
  }
  const signOut = () => {
    void post('/auth/logout').catch(() => undefined);
    void forgetOfflineData();
    setMe(null);
    navigate('/', true);
  };
  return (
    <Shell me={me} onSignOut={signOut}>
      <Page me={me} path={path} />
    </Shell>
  );
}

function Page({ me, path }: { me: Me; path: string }) {
  const coordinator = me.role === 'coordinator' || me.role === 'admin';
  if ((coordinator || me.role === 'community') && path === '/community/slips') return <SlipsPage me={me} />;
  if (coordinator) {
    if (path === '/coordinator' || path === '/coordinator/map') return <CoordinatorMap />;
    if (path === '/coordinator/stock') return <StockPage />;
    if (path === '/coordinator/packs') return <PacksPage />;
    if (path === '/coordinator/donations') return <ReceivePage />;
    if (path === '/coordinator/plans') return <PlansPage />;
    const plan = match('/coordinator/plans/:id', path);
    if (plan) return <PlanPage id={Number(plan.id)} />;
    if (path === '/coordinator/board') return <BoardPage />;
    if (path === '/coordinator/dashboard') return <DashboardPage />;
    if (path === '/coordinator/campaigns') return <CampaignsPage />;
    if (path === '/coordinator/recalls') return <RecallsPage me={me} />;
    if (path === '/coordinator/reports') return <ReportsPage />;
    const campaignLive = match('/coordinator/campaigns/:id', path);
    if (campaignLive) return <CampaignLivePage id={campaignLive.id} />;
    if (path.startsWith('/community')) return <CommunityPage me={me} />;
  }
  if (me.role === 'admin' && path === '/admin/users') return <UsersPage />;
  if (me.role === 'admin' && path === '/admin/audit') return <AuditPage />;
  if (me.role === 'community' && path === '/community/recalls') return <RecallsPage me={me} />;
  if (me.role === 'charity' || (coordinator && path.startsWith('/charity'))) {
    const receipt = match('/charity/donations/:id', path);
    if (receipt) return <CharityPage receiptId={Number(receipt.id)} />;
    if (path === '/charity') return <CharityPage />;
  }
  if (me.role === 'community' && path.startsWith('/community')) return <CommunityPage me={me} />;
  if (me.role === 'driver' && path === '/driver') return <DriverPage me={me} />;
  return <Redirect to={homeOf[me.role]} />;
}

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, true), [to]);
  return null;
}

registerServiceWorker();
render(<App />, document.getElementById('app')!);
