import './styles.css';
import { call, currentSession, getJson, setSession, whenUnauthorized, type SessionInfo } from './api.js';
import { h, replace } from './dom.js';
import { digitsPage } from './pages/digits.js';
import { filesPage } from './pages/files.js';
import { jobPage } from './pages/job.js';
import { livePage } from './pages/live.js';
import { loginPage } from './pages/login.js';
import { overviewPage } from './pages/overview.js';
import { qrPage } from './pages/qr.js';
import { queuesPage } from './pages/queues.js';
import { trainingPage } from './pages/training.js';
import { transcriptsPage } from './pages/transcripts.js';
import { turkicPage } from './pages/turkic.js';
import { wrappedPage } from './pages/wrapped.js';
import { parseHash, type RouteEntry } from './router.js';
import { initTheme } from './theme.js';

const ROUTES: RouteEntry[] = [
  { path: 'overview', title: 'Overview', page: overviewPage, nav: true },
  { path: 'queues', title: 'Queues', page: queuesPage, nav: true },
  { path: 'live', title: 'Jobs live', page: livePage, nav: true },
  { path: 'files', title: 'Files', page: filesPage, nav: true },
  { path: 'qr', title: 'QR', page: qrPage, nav: true },
  { path: 'digits', title: 'Digits', page: digitsPage, nav: true },
  { path: 'training', title: 'Training', page: trainingPage, nav: true },
  { path: 'turkic', title: 'Turkic', page: turkicPage, nav: true },
  { path: 'transcripts', title: 'Transcripts', page: transcriptsPage, nav: true },
  { path: 'wrapped', title: 'Wrapped', page: wrappedPage, nav: true },
  { path: 'job', title: 'Job', page: jobPage, nav: false },
];

const view = document.getElementById('view') as HTMLElement;
const nav = document.getElementById('nav') as HTMLElement;
const logout = document.getElementById('logout') as HTMLButtonElement;
let leave: (() => void) | undefined;

function drawNav(active: string): void {
  const links = ROUTES.filter((route) => route.nav).map((route) =>
    h('a', { href: `#/${route.path}`, 'aria-current': route.path === active ? 'page' : undefined }, route.title),
  );
  replace(nav, ...links);
}

async function loadSession(): Promise<SessionInfo | undefined> {
  try {
    const info = await getJson<SessionInfo>('/api/session');
    setSession(info);
    return info;
  } catch {
    setSession(undefined);
    return undefined;
  }
}

async function render(): Promise<void> {
  leave?.();
  leave = undefined;
  const { path, params, query } = parseHash(location.hash);
  const signedIn = currentSession() !== undefined;
  logout.hidden = !signedIn;
  document.body.dataset.signedIn = String(signedIn);
  if (!signedIn || path === 'login') {
    replace(nav);
    document.title = 'Log in · Platform console';
    loginPage(view, async () => {
      await loadSession();
      const next = query.get('next');
      if (next?.startsWith('/') && !next.startsWith('//')) location.assign(next);
      else location.hash = '#/overview';
      await render();
    });
    return;
  }
  const route = ROUTES.find((entry) => entry.path === path) ?? ROUTES[0];
  if (!route) return;
  drawNav(route.path);
  document.title = `${route.title} · Platform console`;
  replace(view);
  leave = (await route.page(view, params)) ?? undefined;
}

whenUnauthorized(() => {
  if (currentSession() === undefined) return;
  setSession(undefined);
  void render();
});
logout.addEventListener('click', () => {
  void call('/api/logout', { method: 'POST' }).finally(() => {
    setSession(undefined);
    location.hash = '#/login';
    void render();
  });
});
window.addEventListener('hashchange', () => {
  void render().then(() => {
    view.focus({ preventScroll: true });
  });
});
initTheme(document.getElementById('theme') as HTMLButtonElement);
void loadSession().then(render);
