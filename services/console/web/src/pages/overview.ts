import { ApiError, getJson } from '../api.js';
import { h, replace, statusLine } from '../dom.js';
import type { Page } from '../router.js';

interface ServiceStatus {
  name: string;
  url: string;
  state: 'ready' | 'degraded' | 'down';
  reason: string | null;
  checks: Record<string, string>;
  version: string | null;
  queue: { name: string; counts: Record<string, number> | null } | null;
}

const COUNTS = ['waiting', 'active', 'completed', 'failed', 'delayed'];
const STATE_LABEL = { ready: 'Ready', degraded: 'Degraded', down: 'Down' };

function card(service: ServiceStatus): HTMLElement {
  const checks = Object.entries(service.checks);
  return h(
    'article',
    { class: `card service state-${service.state}`, 'aria-label': service.name },
    h(
      'header',
      { class: 'service-head' },
      h('h2', {}, service.name),
      h('span', { class: `badge ${service.state}` }, STATE_LABEL[service.state]),
    ),
    h('p', { class: 'muted small' }, service.version ? `v${service.version} · ` : '', h('code', {}, service.url)),
    h('p', { class: 'reason' }, service.reason ?? 'All checks pass.'),
    h(
      'ul',
      { class: 'checks' },
      ...(checks.length === 0 ? [h('li', { class: 'muted' }, 'no checks reported')] : []),
      ...checks.map(([name, result]) =>
        h(
          'li',
          { class: result.startsWith('failed') ? 'bad' : 'ok' },
          h('span', { class: 'dot', 'aria-hidden': 'true' }),
          h('b', {}, name),
          ' ',
          result,
        ),
      ),
    ),
    service.queue
      ? h(
          'dl',
          { class: 'counts', 'aria-label': `queue ${service.queue.name}` },
          ...COUNTS.flatMap((name) => [
            h('dt', {}, name),
            h(
              'dd',
              { class: `${name}${(service.queue?.counts?.[name] ?? 0) > 0 ? ' nonzero' : ''}` },
              service.queue?.counts ? String(service.queue.counts[name] ?? 0) : '–',
            ),
          ]),
        )
      : null,
  );
}

export const overviewPage: Page = (view) => {
  const status = statusLine();
  const grid = h('div', { class: 'grid services', 'aria-busy': 'true' });
  replace(
    view,
    h(
      'div',
      { class: 'page-head' },
      h('h1', {}, 'Overview'),
      h('p', { class: 'muted' }, 'Readiness, version and queue of every service, refreshed every 3 s.'),
    ),
    status,
    grid,
  );
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const refresh = async () => {
    try {
      const { services } = await getJson<{ services: ServiceStatus[] }>('/api/overview');
      if (stopped) return;
      replace(grid, ...services.map(card));
      grid.setAttribute('aria-busy', 'false');
      const ready = services.filter((service) => service.state === 'ready').length;
      status.show(
        `${String(ready)} of ${String(services.length)} services ready · updated ${new Date().toLocaleTimeString()}`,
        ready === services.length ? 'ok' : 'info',
      );
    } catch (error) {
      status.show(error instanceof ApiError ? error.full : 'the overview failed', 'error');
    }
    if (!stopped) timer = setTimeout(() => void refresh(), 3_000);
  };
  void refresh();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
};
