import { ApiError, isAdmin, sendJson } from '../api.js';
import { field, h, replace, shortId, statusLine, when } from '../dom.js';
import { followEvents, phaseOf } from '../events.js';
import type { Page } from '../router.js';
import { runView } from './training-run.js';

const STORE = 'console-trainer-runs';
interface KnownRun {
  run_id: string;
  job_id: string;
  label: string;
  at: string;
}

const knownRuns = (): KnownRun[] => {
  try {
    const parsed = JSON.parse(localStorage.getItem(STORE) ?? '[]') as unknown;
    return Array.isArray(parsed) ? (parsed as KnownRun[]) : [];
  } catch {
    return [];
  }
};
const remember = (run: KnownRun) => { localStorage.setItem(STORE, JSON.stringify([run, ...knownRuns().filter((known) => known.run_id !== run.run_id)].slice(0, 50))); };

const SIZES: Record<string, string[]> = { char_lstm: ['small', 'medium', 'large'], gpt2: ['tiny', 'mini', 'small', 'medium', 'large', 'xl'] };

function startForm(status: ReturnType<typeof statusLine>): HTMLFormElement {
  const family = h('select', { name: 'family' }, h('option', { value: 'char_lstm' }, 'char-LSTM'), h('option', { value: 'gpt2' }, 'GPT-2'));
  const size = h('select', { name: 'size' });
  const fillSizes = () => { replace(size, ...(SIZES[family.value] ?? []).map((name) => h('option', { value: name }, name))); };
  fillSizes();
  family.addEventListener('change', fillSizes);
  const corpus = h('input', { name: 'corpus_file_id', required: true, pattern: '[0-9a-f]{64}', placeholder: 'data-bank file id of a text corpus', class: 'mono' });
  const context = h('input', { type: 'number', name: 'context_length', value: '128', min: '8' });
  const batch = h('input', { type: 'number', name: 'batch_size', value: '16', min: '1' });
  const budget = h('input', { type: 'number', name: 'time_budget_s', value: '120', min: '1' });
  const lr = h('input', { type: 'number', name: 'lr', value: '0.003', step: 'any', min: '0' });
  const device = h('select', { name: 'device' }, ...['auto', 'cpu', 'cuda'].map((name) => h('option', { value: name }, name)));
  const go = h('button', { type: 'submit', class: 'primary' }, 'Start run');
  const form = h(
    'form',
    { class: 'card run-form' },
    h('h2', {}, 'Start a model-trainer run'),
    h('div', { class: 'row' }, field('Family', family), field('Size', size), field('Device', device)),
    field('Corpus', corpus, 'Upload a .txt on the Files page and paste its id.'),
    h('div', { class: 'row' }, field('Context', context), field('Batch', batch), field('Time budget (s)', budget), field('Learning rate', lr)),
    go,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    go.disabled = true;
    const body = {
      family: family.value,
      size: size.value,
      corpus_file_id: corpus.value.trim(),
      context_length: Number(context.value),
      batch_size: Number(batch.value),
      time_budget_s: Number(budget.value),
      lr: Number(lr.value),
      device: device.value,
    };
    sendJson<{ run_id: string; job_id: string }>('/api/trainer/v1/runs', body)
      .then((started) => {
        remember({ run_id: started.run_id, job_id: started.job_id, label: `${body.family} ${body.size}`, at: new Date().toISOString() });
        location.hash = `#/training/${encodeURIComponent(started.run_id)}`;
      })
      .catch((error: unknown) => { status.show(error instanceof ApiError ? error.full : 'the run could not start', 'error'); })
      .finally(() => {
        go.disabled = false;
      });
  });
  return form;
}

export const trainingPage: Page = (view, [runId]) => {
  if (runId) return runView(view, runId, knownRuns().find((run) => run.run_id === runId)?.job_id);
  const status = statusLine();
  const open = h('input', { name: 'run', placeholder: 'run id', class: 'mono' });
  const openForm = h('form', { class: 'row' }, field('Open a run', open), h('button', { type: 'submit' }, 'Open'));
  openForm.addEventListener('submit', (event) => {
    event.preventDefault();
    if (open.value.trim()) location.hash = `#/training/${encodeURIComponent(open.value.trim())}`;
  });
  const runs = knownRuns();
  const jobs = h('tbody');
  const seen = new Map<string, HTMLTableRowElement>();
  replace(
    view,
    h('div', { class: 'page-head' }, h('h1', {}, 'Training'), h('p', { class: 'muted' }, 'model-trainer runs and handwriting-ai training jobs.')),
    status,
    h(
      'div',
      { class: 'split' },
      isAdmin() ? startForm(status) : h('p', { class: 'card' }, 'Starting runs is for admin sessions.'),
      h(
        'section',
        { class: 'card' },
        h('h2', {}, 'Runs started here'),
        openForm,
        runs.length === 0
          ? h('p', { class: 'muted' }, 'None yet.')
          : h('ul', { class: 'plain' }, ...runs.map((run) => h('li', {}, h('a', { href: `#/training/${encodeURIComponent(run.run_id)}`, class: 'mono' }, run.run_id), ` · ${run.label} · ${when(run.at)}`))),
      ),
    ),
    h('h2', {}, 'Recent training jobs'),
    h('div', { class: 'table-wrap' }, h('table', {}, h('thead', {}, h('tr', {}, ...['Domain', 'Job', 'Last event', 'When'].map((title) => h('th', { scope: 'col' }, title)))), jobs)),
  );
  const stop = followEvents({ domains: ['trainer', 'digits'], backlog: 200, latestMetrics: true }, (event) => {
    const key = `${event.domain}/${event.job_id}`;
    const row = h(
      'tr',
      {},
      h('td', {}, event.domain),
      h('td', { class: 'mono nowrap' }, h('a', { href: `#/job/${event.domain}/${encodeURIComponent(event.job_id)}`, title: event.job_id, 'aria-label': `job ${event.job_id}` }, shortId(event.job_id))),
      h('td', {}, phaseOf(event.type)),
      h('td', {}, when(event.ts)),
    );
    seen.get(key)?.remove();
    seen.set(key, row);
    jobs.prepend(row);
  });
  return stop;
};
