import { ApiError, getJson, sendJson, sessionUserId } from '../api.js';
import { debounce, field, h, replace, statusLine } from '../dom.js';
import { watchJob } from '../job-watch.js';
import type { Page } from '../router.js';

interface Language {
  code: string;
  name: string;
  scripts: string[];
  targets: { ipa?: unknown; latin?: unknown };
  detection: boolean;
}
interface Detection {
  language: string;
  script: string | null;
  confidence: number;
  candidates: { language: string; confidence: number }[];
}

const message = (error: unknown) => (error instanceof ApiError ? error.full : 'the request failed');

function corpusForm(languages: Language[], stopped: () => boolean): HTMLElement {
  const language = h(
    'select',
    { name: 'language' },
    ...languages.map((entry) => h('option', { value: entry.code }, `${entry.name} (${entry.code})`)),
  );
  const source = h(
    'select',
    { name: 'source' },
    ...['wikipedia', 'url', 'data_bank', 'huggingface'].map((name) => h('option', { value: name }, name)),
  );
  const where = h('input', { name: 'where', placeholder: 'URL, data-bank file id or owner/dataset' });
  const sentences = h('input', { type: 'number', name: 'max_sentences', value: '1000', min: '1' });
  const transform = h('select', { name: 'transform' }, ...['none', 'ipa', 'latin'].map((name) => h('option', { value: name }, name)));
  const progress = h('p', { class: 'job-line' });
  const status = statusLine();
  const go = h('button', { type: 'submit', class: 'primary' }, 'Build corpus');
  const form = h(
    'form',
    { class: 'card' },
    h('h2', {}, 'Corpus job'),
    h('div', { class: 'row' }, field('Language', language), field('Source', source)),
    field('Source location', where, 'not needed for wikipedia'),
    h('div', { class: 'row' }, field('Sentences', sentences), field('Transform', transform)),
    go,
    status,
    progress,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const key = { url: 'url', data_bank: 'file_id', huggingface: 'dataset' }[source.value];
    const body = {
      user_id: sessionUserId(),
      language: language.value,
      source: source.value,
      max_sentences: Number(sentences.value),
      transform: transform.value,
      ...(key && { [key]: where.value.trim() }),
    };
    sendJson<{ job_id: string }>('/api/turkic/v1/corpus-jobs', body)
      .then(async ({ job_id }) => {
        status.show('queued', 'ok');
        const job = await watchJob('turkic', job_id, progress, stopped, `/api/turkic/v1/jobs/${encodeURIComponent(job_id)}`);
        if (job?.status === 'completed') status.show('done: the corpus is on the job page', 'ok');
      })
      .catch((error: unknown) => {
        status.show(message(error), 'error');
      });
  });
  return form;
}

export const turkicPage: Page = async (view) => {
  const text = h('textarea', { name: 'text', rows: 5, placeholder: 'Type Kazakh, Uzbek, Turkish… text' }, 'Сәлем, әлем!');
  const language = h('select', { name: 'language' });
  const target = h('select', { name: 'target' }, h('option', { value: 'latin' }, 'Latin'), h('option', { value: 'ipa' }, 'IPA'));
  const output = h('pre', { class: 'output', 'aria-live': 'polite' }, ' ');
  const detected = h('p', { class: 'detected' }, ' ');
  const status = statusLine();
  let stopped = false;
  replace(
    view,
    h(
      'div',
      { class: 'page-head' },
      h('h1', {}, 'Turkic'),
      h('p', { class: 'muted' }, 'Transliteration and language detection as you type.'),
    ),
    status,
  );
  let languages: Language[] = [];
  try {
    languages = (await getJson<{ languages: Language[] }>('/api/turkic/v1/languages')).languages;
  } catch (error) {
    status.show(message(error), 'error');
  }
  replace(
    language,
    ...languages
      .filter((entry) => entry.targets.latin ?? entry.targets.ipa)
      .map((entry) => h('option', { value: entry.code }, `${entry.name} (${entry.code})`)),
  );
  if (languages.some((entry) => entry.code === 'kk')) language.value = 'kk';
  const run = debounce(250, () => {
    if (text.value.trim() === '') return;
    sendJson<{ text: string }>('/api/turkic/v1/transliterate', { text: text.value, language: language.value, target: target.value })
      .then((answer) => {
        output.textContent = answer.text;
        status.show('', 'ok');
      })
      .catch((error: unknown) => {
        status.show(message(error), 'error');
      });
    sendJson<Detection>('/api/turkic/v1/detect', { text: text.value, top_k: 3 })
      .then((answer) => {
        detected.textContent = `Detected ${answer.language}${answer.script ? ` (${answer.script})` : ''}, ${(answer.confidence * 100).toFixed(0)}% · ${answer.candidates.map((candidate) => `${candidate.language} ${(candidate.confidence * 100).toFixed(0)}%`).join(', ')}`;
      })
      .catch(() => {
        detected.textContent = 'Detection is not available.';
      });
  });
  for (const control of [text, language, target]) control.addEventListener('input', run);
  view.append(
    h(
      'div',
      { class: 'split' },
      h(
        'section',
        { class: 'card' },
        field('Text', text),
        h('div', { class: 'row' }, field('Language', language), field('Target', target)),
        detected,
      ),
      h('section', { class: 'card' }, h('h2', {}, 'Result'), output),
    ),
    corpusForm(languages, () => stopped),
  );
  run();
  return () => {
    stopped = true;
  };
};
