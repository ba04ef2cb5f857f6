import { ApiError, upload } from '../api.js';
import { h, replace, statusLine } from '../dom.js';
import type { Page } from '../router.js';

interface Reading {
  digit: number;
  confidence: number;
  probabilities: number[];
  uncertain: boolean;
  model_id: string;
  latency_ms: number;
  visual_png_b64?: string;
}

const SIDE = 280;

function bars(probabilities: number[], best: number): HTMLElement {
  return h(
    'ol',
    { class: 'bars', 'aria-label': 'Probability of each digit', start: 0 },
    ...Array.from({ length: 10 }, (_, digit) => {
      const p = probabilities[digit] ?? 0;
      const fill = h('span', { class: 'bar-fill' });
      fill.style.width = `${(p * 100).toFixed(1)}%`; // through the CSSOM: the page's CSP refuses style attributes
      return h(
        'li',
        { class: digit === best ? 'best' : '' },
        h('span', { class: 'bar-label' }, String(digit)),
        h('span', { class: 'bar-track' }, fill),
        h('span', { class: 'bar-value' }, `${(p * 100).toFixed(1)}%`),
      );
    }),
  );
}

export const digitsPage: Page = (view) => {
  const canvas = h('canvas', {
    width: SIDE,
    height: SIDE,
    class: 'pad',
    'aria-label': 'Drawing area: draw one digit with the mouse or a finger',
  });
  const context = canvas.getContext('2d');
  if (!context) throw new Error('no 2D canvas');
  const status = statusLine();
  const answer = h('p', { class: 'answer', 'aria-live': 'polite' }, '–');
  const chart = h('div', { class: 'chart-slot' }, bars([], -1));
  const seen = h('img', { class: 'seen', alt: 'what the model saw (28×28)', width: 112, height: 112 });
  const clear = h('button', { type: 'button' }, 'Clear');
  const file = h('input', { type: 'file', accept: 'image/*' });

  const reset = () => {
    context.fillStyle = '#fff';
    context.fillRect(0, 0, SIDE, SIDE);
    context.lineCap = 'round';
    context.lineJoin = 'round';
    context.lineWidth = 20;
    context.strokeStyle = '#000';
  };
  reset();

  const read = async (image: Blob) => {
    status.show('reading…');
    const form = new FormData();
    form.append('image', image, 'digit.png');
    try {
      const reading = await upload<Reading>('/api/handwriting/v1/read?visualize=1', form, () => undefined);
      answer.textContent = String(reading.digit);
      answer.dataset.digit = String(reading.digit);
      replace(chart, bars(reading.probabilities, reading.digit));
      if (reading.visual_png_b64) seen.src = `data:image/png;base64,${reading.visual_png_b64}`;
      status.show(
        `${reading.uncertain ? 'Not sure: ' : ''}${(reading.confidence * 100).toFixed(1)}% confident · model ${reading.model_id} · ${reading.latency_ms.toFixed(0)} ms`,
        reading.uncertain ? 'info' : 'ok',
      );
    } catch (error) {
      status.show(error instanceof ApiError ? error.full : 'the digit could not be read', 'error');
    }
  };

  let drawing = false;
  const point = (event: PointerEvent) => {
    const box = canvas.getBoundingClientRect();
    return { x: ((event.clientX - box.left) / box.width) * SIDE, y: ((event.clientY - box.top) / box.height) * SIDE };
  };
  canvas.addEventListener('pointerdown', (event) => {
    drawing = true;
    canvas.setPointerCapture(event.pointerId);
    const { x, y } = point(event);
    context.beginPath();
    context.moveTo(x, y);
    context.lineTo(x + 0.1, y);
    context.stroke();
  });
  canvas.addEventListener('pointermove', (event) => {
    if (!drawing) return;
    const { x, y } = point(event);
    context.lineTo(x, y);
    context.stroke();
  });
  const finish = () => {
    if (!drawing) return;
    drawing = false;
    canvas.toBlob((blob) => {
      if (blob) void read(blob);
    }, 'image/png');
  };
  canvas.addEventListener('pointerup', finish);
  canvas.addEventListener('pointercancel', finish);
  clear.addEventListener('click', () => {
    reset();
    answer.textContent = '–';
    delete answer.dataset.digit;
    replace(chart, bars([], -1));
    seen.removeAttribute('src');
    status.show('');
  });
  file.addEventListener('change', () => {
    const chosen = file.files?.[0];
    if (chosen) void read(chosen);
  });

  replace(
    view,
    h(
      'div',
      { class: 'page-head' },
      h('h1', {}, 'Digits'),
      h('p', { class: 'muted' }, 'Draw one digit; handwriting-ai reads it when you lift the pen.'),
    ),
    h(
      'div',
      { class: 'split' },
      h(
        'section',
        { class: 'card', 'aria-label': 'Drawing' },
        canvas,
        h('div', { class: 'row' }, clear, h('label', { class: 'field inline' }, h('span', { class: 'label' }, 'or read an image'), file)),
      ),
      h(
        'section',
        { class: 'card', 'aria-label': 'Answer' },
        h(
          'div',
          { class: 'answer-row' },
          h('div', {}, h('span', { class: 'label' }, 'Answer'), answer),
          h('figure', {}, seen, h('figcaption', { class: 'muted small' }, 'what the model saw')),
        ),
        status,
        chart,
      ),
    ),
  );
  return undefined;
};
