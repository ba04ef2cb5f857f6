import { ApiError, call, getJson, isAdmin } from '../api.js';
import { createCurve } from '../chart.js';
import { duration, field, h, replace, statusLine } from '../dom.js';
import { followEvents } from '../events.js';
import { curvePoints, frameError, frameText, num, sseFrames, type CurvePoint, type SseFrame } from '../parse.js';

/** GET /v1/runs/{id} of model-trainer (issue 17 fixes these fields). */
export interface Run {
  run_id: string;
  status: string;
  progress: number;
  family: string;
  size: string;
  metrics: {
    step?: number;
    train_loss?: number | null;
    val_loss?: number | null;
    best_val_loss?: number | null;
    tokens_per_s?: number | null;
  };
  created_at: string;
  updated_at: string;
  error: string | { message: string } | null;
}

const FINISHED = new Set(['completed', 'failed', 'cancelled']);
const fmt = (value: number | null | undefined, digits = 4) =>
  value === null || value === undefined ? '–' : String(Number(value.toPrecision(digits)));

function eta(run: Run): string {
  if (FINISHED.has(run.status) || run.progress <= 0) return '–';
  const elapsed = (Date.now() - new Date(run.created_at).getTime()) / 1000;
  return duration((elapsed * (100 - run.progress)) / run.progress);
}

/** Streams server-sent events from a fetch answer (EventSource cannot POST); `onFrame` false stops reading. */
async function readEvents(response: Response, onFrame: (frame: SseFrame) => boolean): Promise<void> {
  const reader = response.body?.pipeThrough(new TextDecoderStream()).getReader();
  if (!reader) return;
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    const { frames, rest } = sseFrames(buffer + value);
    buffer = rest;
    for (const frame of frames) {
      if (!onFrame(frame)) {
        await reader.cancel();
        return;
      }
    }
  }
}

function playground(runId: string): HTMLElement {
  const prompt = h('textarea', { name: 'prompt', rows: 3 }, 'ROMEO:');
  const maxTokens = h('input', { type: 'number', name: 'max_tokens', value: '200', min: '1', max: '2048' });
  const temperature = h('input', { type: 'number', name: 'temperature', value: '0.8', step: '0.1', min: '0', max: '2' });
  const topK = h('input', { type: 'number', name: 'top_k', value: '40', min: '0' });
  const output = h('pre', { class: 'generated', 'aria-live': 'polite' });
  const status = statusLine();
  const go = h('button', { type: 'submit', class: 'primary' }, 'Generate');
  const form = h(
    'form',
    { class: 'card playground' },
    h('h2', {}, 'Generation playground'),
    field('Prompt', prompt),
    h('div', { class: 'row' }, field('Max tokens', maxTokens), field('Temperature', temperature), field('Top-k', topK)),
    go,
    status,
    output,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    go.disabled = true;
    output.textContent = prompt.value;
    const started = performance.now();
    let tokens = 0;
    status.show('generating…');
    const body = {
      prompt: prompt.value,
      max_tokens: Number(maxTokens.value),
      temperature: Number(temperature.value),
      top_k: Number(topK.value),
    };
    call(`/api/trainer/v1/runs/${encodeURIComponent(runId)}/generate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify(body),
    })
      .then((response) =>
        readEvents(response, ({ event, data }) => {
          if (event === 'done' || event === 'end') return false;
          if (event === 'error') {
            status.show(frameError(data) ?? 'generation failed', 'error');
            return false;
          }
          output.textContent += frameText(data);
          tokens++;
          return true;
        }),
      )
      .then(() => {
        status.show(`${String(tokens)} tokens in ${((performance.now() - started) / 1000).toFixed(1)} s`, 'ok');
      })
      .catch((error: unknown) => {
        status.show(error instanceof ApiError ? error.full : 'generation failed', 'error');
      })
      .finally(() => {
        go.disabled = false;
      });
  });
  return form;
}

/**
 * One run: its facts, its live curve (polled, and fed by the trainer's metrics events: a model-trainer
 * run id is its job id), cancel, and the playground.
 */
export function runView(view: HTMLElement, runId: string): () => void {
  const status = statusLine();
  const facts = h('dl', { class: 'facts' });
  const slot = h('div', { class: 'chart', 'aria-label': 'Loss curve' });
  const cancel = isAdmin() ? h('button', { type: 'button', class: 'danger' }, 'Cancel run') : null;
  replace(
    view,
    h(
      'div',
      { class: 'page-head' },
      h('h1', {}, 'Run ', h('code', {}, runId)),
      h('p', { class: 'muted' }, h('a', { href: '#/training' }, 'all runs')),
    ),
    status,
    h(
      'div',
      { class: 'split' },
      h('section', { class: 'card' }, h('h2', {}, 'Status'), facts, cancel),
      h('section', { class: 'card' }, h('h2', {}, 'Loss'), slot),
    ),
    playground(runId),
  );
  const curve = createCurve(slot, 'step', ['train loss', 'val loss']);
  const add = (point: CurvePoint) => {
    curve.add(point.step, [point.train_loss, point.val_loss]);
  };
  const draw = (run: Run) => {
    const error = typeof run.error === 'string' ? run.error : run.error?.message;
    replace(
      facts,
      h('dt', {}, 'Status'),
      h('dd', {}, h('span', { class: `badge ${run.status}` }, run.status)),
      h('dt', {}, 'Model'),
      h('dd', {}, `${run.family} ${run.size}`),
      h('dt', {}, 'Progress'),
      h('dd', {}, h('progress', { max: 100, value: run.progress }), ` ${run.progress.toFixed(0)}%`),
      h('dt', {}, 'Step'),
      h('dd', { class: 'step' }, String(run.metrics.step ?? 0)),
      h('dt', {}, 'Train loss'),
      h('dd', {}, fmt(run.metrics.train_loss)),
      h('dt', {}, 'Val loss'),
      h('dd', {}, `${fmt(run.metrics.val_loss)} (best ${fmt(run.metrics.best_val_loss)})`),
      h('dt', {}, 'Tokens/s'),
      h('dd', {}, fmt(run.metrics.tokens_per_s, 5)),
      h('dt', {}, 'ETA'),
      h('dd', {}, eta(run)),
      error ? [h('dt', {}, 'Error'), h('dd', { class: 'error' }, error)] : null,
    );
    if (cancel) cancel.disabled = FINISHED.has(run.status);
    const step = num(run.metrics.step);
    if (step !== null && step > 0) add({ step, train_loss: num(run.metrics.train_loss), val_loss: num(run.metrics.val_loss) });
  };

  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const base = `/api/trainer/v1/runs/${encodeURIComponent(runId)}`;
  const poll = async () => {
    try {
      const run = await getJson<Run>(base);
      draw(run);
      status.show(`updated ${new Date().toLocaleTimeString()}`, 'ok');
      if (FINISHED.has(run.status)) return;
    } catch (error) {
      status.show(error instanceof ApiError ? error.full : 'the run could not be read', 'error');
    }
    if (!stopped) timer = setTimeout(() => void poll(), 2_000);
  };
  void getJson<unknown>(`${base}/metrics`)
    .then((body) => {
      curvePoints(body).forEach(add);
    })
    .catch(() => undefined) // a run with no points yet: the curve fills from polling and events
    .finally(() => void poll());
  const stopEvents = followEvents({ domains: ['trainer'], job: runId, backlog: 500 }, (event) => {
    const metrics = event.metrics;
    const step = num(metrics?.step);
    if (step !== null) add({ step, train_loss: num(metrics?.train_loss ?? metrics?.loss), val_loss: num(metrics?.val_loss) });
  });
  cancel?.addEventListener('click', () => {
    call(base, { method: 'DELETE' })
      .then(() => {
        status.show('cancelling; the last checkpoint is kept', 'ok');
        void poll();
      })
      .catch((error: unknown) => {
        status.show(error instanceof ApiError ? error.full : 'cancel failed', 'error');
      });
  });
  return () => {
    stopped = true;
    clearTimeout(timer);
    stopEvents();
    curve.destroy();
  };
}
