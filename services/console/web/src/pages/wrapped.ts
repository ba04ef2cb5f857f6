import { ApiError, sendJson, upload } from '../api.js';
import { field, h, replace, statusLine } from '../dom.js';
import { watchJob } from '../job-watch.js';
import type { Page } from '../router.js';

const LIVE = [
  ['lastfm', 'Last.fm'],
  ['spotify', 'Spotify'],
  ['apple_music', 'Apple Music'],
] as const;
const message = (error: unknown) => (error instanceof ApiError ? error.full : 'the request failed');

export const wrappedPage: Page = (view) => {
  const year = h('input', { type: 'number', name: 'year', value: String(new Date().getFullYear() - 1), min: '2000', max: '2100' });
  const file = h('input', { type: 'file', accept: '.zip,.json,.csv' });
  const live = LIVE.map(([value, label]) =>
    h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'live', value }), ` ${label} (connected account)`),
  );
  const status = statusLine();
  const job = h('p', { class: 'job-line' });
  const result = h('section', { class: 'card wrapped-result' }, h('p', { class: 'muted' }, 'The card and the report show here.'));
  const go = h('button', { type: 'submit', class: 'primary' }, 'Make my Wrapped');
  let stopped = false;
  const form = h(
    'form',
    { class: 'card' },
    field('Year', year),
    field('Streaming history export', file, 'Spotify, Apple Music or Last.fm export'),
    h('fieldset', {}, h('legend', {}, 'Or connected accounts'), ...live),
    go,
    status,
    job,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    go.disabled = true;
    const chosen = file.files?.[0];
    const sources: Record<string, unknown>[] = live.flatMap((label) => {
      const box = label.querySelector('input');
      return box?.checked ? [{ service: box.value, live: true }] : [];
    });
    const imported = chosen
      ? (() => {
          const body = new FormData();
          body.append('file', chosen, chosen.name);
          return upload<{ import_id: string; service: string }>('/api/music/v1/imports', body, (fraction) => {
            status.show(`uploading: ${(fraction * 100).toFixed(0)}%`);
          });
        })()
      : Promise.resolve(undefined);
    imported
      .then(async (record) => {
        if (record) sources.push({ service: record.service, import_id: record.import_id });
        if (sources.length === 0) throw new ApiError('choose an export file or a connected account', 400, 'INVALID_INPUT');
        const started = await sendJson<{ job_id: string }>('/api/music/v1/wrapped', {
          year: Number(year.value),
          sources,
          time_zone: Intl.DateTimeFormat().resolvedOptions().timeZone,
        });
        status.show('making the report…');
        const done = await watchJob('music_wrapped', started.job_id, job, () => stopped);
        if (done?.status !== 'completed') return;
        const base = `/api/music/v1/wrapped/${encodeURIComponent(started.job_id)}`;
        replace(
          result,
          h('h2', {}, `Wrapped ${year.value}`),
          h('img', { src: `${base}/card.png`, alt: 'Wrapped card', class: 'wrapped-card' }),
          h('iframe', { src: `${base}/report.html`, title: 'Wrapped report', sandbox: '', class: 'report' }),
        );
        status.show('done', 'ok');
      })
      .catch((error: unknown) => {
        status.show(message(error), 'error');
      })
      .finally(() => {
        go.disabled = false;
      });
  });
  replace(
    view,
    h('div', { class: 'page-head' }, h('h1', {}, 'Wrapped'), h('p', { class: 'muted' }, 'A year of listening as a card and a report.')),
    h('div', { class: 'split' }, form, result),
  );
  return () => {
    stopped = true;
  };
};
