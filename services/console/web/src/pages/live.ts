import { field, h, replace, shortId, statusLine, when } from '../dom.js';
import { DOMAINS, followEvents, isMetrics, phaseOf, type PlatformEvent } from '../events.js';
import type { Page } from '../router.js';

const MAX_ROWS = 300;

export function eventSummary(event: PlatformEvent): string {
  if (isMetrics(event.type)) {
    return Object.entries(event.metrics ?? {})
      .slice(0, 4)
      .map(([name, value]) => `${name} ${typeof value === 'number' ? String(Number(value.toPrecision(4))) : JSON.stringify(value)}`)
      .join(' · ');
  }
  switch (phaseOf(event.type)) {
    case 'progress':
      return `${String(Math.round(event.progress ?? 0))}%${event.message ? ` · ${event.message}` : ''}`;
    case 'failed':
      return `${event.error_kind ?? 'error'}: ${event.message ?? ''}`;
    case 'completed':
      return event.result_id ? `result ${event.result_id.slice(0, 12)}…` : 'done';
    default:
      return event.message ?? '';
  }
}

export function eventRow(event: PlatformEvent): HTMLTableRowElement {
  const phase = isMetrics(event.type) ? 'metrics' : phaseOf(event.type);
  return h(
    'tr',
    { class: `event ${phase}` },
    h('td', { class: 'nowrap' }, h('time', { datetime: event.ts }, new Date(event.ts).toLocaleTimeString())),
    h('td', {}, event.domain),
    h('td', {}, h('span', { class: `badge ${phase}` }, phase)),
    h(
      'td',
      { class: 'mono nowrap' },
      h(
        'a',
        { href: `#/job/${event.domain}/${encodeURIComponent(event.job_id)}`, title: event.job_id, 'aria-label': `job ${event.job_id}` },
        shortId(event.job_id),
      ),
    ),
    h('td', { class: 'mono' }, event.user_id),
    h('td', { class: 'summary' }, eventSummary(event)),
  );
}

export const livePage: Page = (view) => {
  const domain = h(
    'select',
    { name: 'domain' },
    h('option', { value: '' }, 'every domain'),
    ...DOMAINS.map((name) => h('option', { value: name }, name)),
  );
  const user = h('input', { name: 'user', inputmode: 'numeric', pattern: '\\d{1,20}', placeholder: 'any user' });
  const status = statusLine();
  const body = h('tbody');
  const table = h(
    'table',
    { class: 'events' },
    h('caption', { class: 'sr-only' }, 'Job events, newest first'),
    h('thead', {}, h('tr', {}, ...['Time', 'Domain', 'Event', 'Job', 'User', 'Details'].map((title) => h('th', { scope: 'col' }, title)))),
    body,
  );
  const form = h('form', { class: 'filters', role: 'search' }, field('Domain', domain), field('User id', user));
  replace(
    view,
    h(
      'div',
      { class: 'page-head' },
      h('h1', {}, 'Jobs live'),
      h('p', { class: 'muted' }, 'Lifecycle and metrics events of every domain as they happen.'),
    ),
    form,
    status,
    h('div', { class: 'table-wrap' }, table),
  );

  let stop: (() => void) | undefined;
  // Metrics arrive every few seconds per run: one row per job and metric, replaced by the latest.
  const metricRows = new Map<string, HTMLTableRowElement>();
  const start = () => {
    stop?.();
    replace(body);
    metricRows.clear();
    const userId = /^\d{1,20}$/.test(user.value) ? user.value : undefined;
    stop = followEvents(
      { ...(domain.value && { domains: [domain.value] }), ...(userId && { user: userId }), backlog: 100, latestMetrics: true },
      (event) => {
        const row = eventRow(event);
        if (isMetrics(event.type)) {
          const key = `${event.domain}/${event.job_id}/${event.type}`;
          metricRows.get(key)?.remove();
          metricRows.set(key, row);
        }
        body.prepend(row);
        while (body.rows.length > MAX_ROWS) body.lastElementChild?.remove();
        status.show(`${String(body.rows.length)} events · last at ${when(event.ts)}`, 'ok');
      },
      (open) => {
        if (!open) status.show('reconnecting to the event stream…', 'error');
        else if (body.rows.length === 0) status.show('connected; waiting for events', 'ok');
      },
    );
  };
  domain.addEventListener('change', start);
  user.addEventListener('change', start);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    start();
  });
  start();
  return () => stop?.();
};
