import { ApiError, getJson, isAdmin, sendJson, sessionUserId } from '../api.js';
import { field, h, replace, shortId, statusLine, when } from '../dom.js';
import { followEvents, phaseOf } from '../events.js';
import type { Page } from '../router.js';
import { runView, type Run } from './training-run.js';

const SIZES: Record<string, string[]> = {
  char_lstm: ['small', 'medium', 'large'],
  gpt2: ['tiny', 'mini', 'small', 'medium', 'large', 'xl'],
};

function startForm(status: ReturnType<typeof statusLine>): HTMLFormElement {
  const family = h('select', { name: 'family' }, h('option', { value: 'char_lstm' }, 'char-LSTM'), h('option', { value: 'gpt2' }, 'GPT-2'));
  const size = h('select', { name: 'size' });
  const fillSizes = () => {
    replace(size, ...(SIZES[family.value] ?? []).map((name) => h('option', { value: name }, name)));
  };
  fillSizes();
  family.addEventListener('change', fillSizes);
  const corpus = h('input', {
    name: 'corpus_file_id',
    required: true,
    pattern: '[0-9a-f]{64}',
    placeholder: 'data-bank file id of a text corpus',
    class: 'mono',
  });
  const context = h('input', { type: 'number', name: 'context_length', value: '128', min: '8' });
  const batch = h('input', { type: 'number', name: 'batch_size', value: '16', min: '1' });
  const budget = h('input', { type: 'number', name: 'time_budget_s', value: '120', min: '1' });
  const lr = h('input', { type: 'number', name: 'lr', value: '0.003', step: 'any', min: '0' });
  const device = h('select', { name: 'device' }, ...['auto', 'cpu', 'cuda'].map((name) => h('option', { value: name }, name)));
  const threads = h('input', { type: 'number', name: 'threads', value: '1', min: '1', max: '256' });
  const go = h('button', { type: 'submit', class: 'primary' }, 'Start run');
  const form = h(
    'form',
    { class: 'card run-form' },
    h('h2', {}, 'Start a model-trainer run'),
    h('div', { class: 'row' }, field('Family', family), field('Size', size), field('Device', device), field('Threads', threads)),
    field('Corpus', corpus, 'Upload a .txt on the Files page and paste its id.'),
    h('div', { class: 'row' }, field('Context', context), field('Batch', batch), field('Budget (s)', budget), field('Learning rate', lr)),
    go,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    go.disabled = true;
    const body = {
      user_id: sessionUserId(),
      family: family.value,
      size: size.value,
      corpus_file_id: corpus.value.trim(),
      context_length: Number(context.value),
      batch_size: Number(batch.value),
      time_budget_s: Number(budget.value),
      lr: Number(lr.value),
      device: device.value,
      threads: Number(threads.value),
    };
    sendJson<{ run_id: string }>('/api/trainer/v1/runs', body)
      .then((started) => {
        location.hash = `#/training/${encodeURIComponent(started.run_id)}`;
      })
      .catch((error: unknown) => {
        status.show(error instanceof ApiError ? error.full : 'the run could not start', 'error');
      })
      .finally(() => {
        go.disabled = false;
      });
  });
  return form;
}

const fmt = (value: number | null | undefined) => (value === null || value === undefined ? '–' : String(Number(value.toPrecision(4))));

function runRow(run: Run): HTMLTableRowElement {
  return h(
    'tr',
    {},
    h(
      'td',
      { class: 'mono' },
      h(
        'a',
        { href: `#/training/${encodeURIComponent(run.run_id)}`, title: run.run_id, 'aria-label': `run ${run.run_id}` },
        shortId(run.run_id),
      ),
    ),
    h('td', {}, `${run.family} ${run.size}`),
    h('td', {}, h('span', { class: `badge ${run.status}` }, run.status)),
    h('td', { class: 'num' }, `${run.progress.toFixed(0)}%`),
    h('td', { class: 'num' }, String(run.metrics.step ?? 0)),
    h('td', { class: 'num', title: `started ${when(run.created_at)}` }, fmt(run.metrics.best_val_loss ?? run.metrics.val_loss)),
  );
}

export const trainingPage: Page = (view, [runId]) => {
  if (runId) return runView(view, runId);
  const status = statusLine();
  const open = h('input', { name: 'run', placeholder: 'run id', class: 'mono' });
  const openForm = h('form', { class: 'row' }, field('Open a run', open), h('button', { type: 'submit' }, 'Open'));
  openForm.addEventListener('submit', (event) => {
    event.preventDefault();
    if (open.value.trim()) location.hash = `#/training/${encodeURIComponent(open.value.trim())}`;
  });
  const runs = h('tbody', {}, h('tr', {}, h('td', { colspan: 6, class: 'muted' }, 'Loading…')));
  const jobs = h('tbody');
  const seen = new Map<string, HTMLTableRowElement>();
  replace(
    view,
    h(
      'div',
      { class: 'page-head' },
      h('h1', {}, 'Training'),
      h('p', { class: 'muted' }, 'model-trainer runs and handwriting-ai training jobs.'),
    ),
    status,
    h(
      'div',
      { class: 'split' },
      isAdmin() ? startForm(status) : h('p', { class: 'card' }, 'Starting runs is for admin sessions.'),
      h(
        'section',
        { class: 'card' },
        h('h2', {}, 'model-trainer runs'),
        openForm,
        h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            {},
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ...['Run', 'Model', 'Status', 'Progress', 'Step', 'Best val loss'].map((title) => h('th', { scope: 'col' }, title)),
              ),
            ),
            runs,
          ),
        ),
      ),
    ),
    h('h2', {}, 'Recent training jobs'),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        {},
        h('thead', {}, h('tr', {}, ...['Domain', 'Job', 'Last event', 'When'].map((title) => h('th', { scope: 'col' }, title)))),
        jobs,
      ),
    ),
  );
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const refresh = async () => {
    try {
      const list = await getJson<{ runs: Run[] }>('/api/trainer/v1/runs');
      replace(
        runs,
        ...(list.runs.length === 0
          ? [h('tr', {}, h('td', { colspan: 6, class: 'muted' }, 'No runs yet.'))]
          : list.runs.slice(0, 20).map(runRow)),
      );
    } catch (error) {
      replace(
        runs,
        h('tr', {}, h('td', { colspan: 6, class: 'error' }, error instanceof ApiError ? error.full : 'the runs could not be read')),
      );
    }
    if (!stopped) timer = setTimeout(() => void refresh(), 5_000);
  };
  void refresh();
  const stop = followEvents({ domains: ['trainer', 'digits'], backlog: 200, latestMetrics: true }, (event) => {
    const key = `${event.domain}/${event.job_id}`;
    const row = h(
      'tr',
      {},
      h('td', {}, event.domain),
      // A model-trainer job is a run: its own page has the curve.
      h(
        'td',
        { class: 'mono nowrap' },
        h(
          'a',
          {
            href:
              event.domain === 'trainer'
                ? `#/training/${encodeURIComponent(event.job_id)}`
                : `#/job/${event.domain}/${encodeURIComponent(event.job_id)}`,
            title: event.job_id,
            'aria-label': `job ${event.job_id}`,
          },
          shortId(event.job_id),
        ),
      ),
      h('td', {}, phaseOf(event.type)),
      h('td', {}, when(event.ts)),
    );
    seen.get(key)?.remove();
    seen.set(key, row);
    jobs.prepend(row);
  });
  return () => {
    stopped = true;
    clearTimeout(timer);
    stop();
  };
};
