import { ApiError, call, getJson, sendJson, sessionUserId, upload } from '../api.js';
import { field, h, replace, saveBlob, statusLine } from '../dom.js';
import { watchJob } from '../job-watch.js';
import type { Page } from '../router.js';

interface Segment {
  start: number;
  end: number;
  text: string;
}
interface Transcript {
  title?: string;
  language?: string;
  segments: Segment[];
}

const FORMATS = ['txt', 'srt', 'vtt'] as const;
const clock = (seconds: number) => {
  const whole = Math.floor(seconds);
  return `${String(Math.floor(whole / 60)).padStart(2, '0')}:${String(whole % 60).padStart(2, '0')}`;
};
const message = (error: unknown) => (error instanceof ApiError ? error.full : 'the request failed');

export const transcriptsPage: Page = (view) => {
  const url = h('input', { type: 'url', name: 'url', placeholder: 'https://www.youtube.com/watch?v=…', required: true });
  const audio = h('input', { type: 'file', accept: 'audio/*,video/*' });
  const status = statusLine();
  const job = h('p', { class: 'job-line' });
  const result = h(
    'section',
    { class: 'card transcript', 'aria-live': 'polite' },
    h('p', { class: 'muted' }, 'The transcript shows here.'),
  );
  let stopped = false;

  /** Draws segments and the download buttons; `fetchAs` fetches the same transcript in a text format. */
  const show = (transcript: Transcript, fetchAs: (format: string) => Promise<Response>) => {
    const downloads = FORMATS.map((format) => {
      const button = h('button', { type: 'button', class: 'small' }, format.toUpperCase());
      button.addEventListener('click', () => {
        fetchAs(format)
          .then((response) => response.blob())
          .then((blob) => {
            saveBlob(blob, `transcript.${format}`);
          })
          .catch((error: unknown) => {
            status.show(message(error), 'error');
          });
      });
      return button;
    });
    replace(
      result,
      h('h2', {}, transcript.title ?? 'Transcript'),
      h('p', { class: 'muted' }, `${transcript.language ?? ''} · ${String(transcript.segments.length)} segments`),
      h('div', { class: 'row' }, h('span', { class: 'muted' }, 'Download'), ...downloads),
      h(
        'ol',
        { class: 'segments' },
        ...transcript.segments.map((segment) =>
          h('li', {}, h('time', {}, `${clock(segment.start)}–${clock(segment.end)}`), ' ', segment.text),
        ),
      ),
    );
  };

  const captions = h(
    'form',
    { class: 'card' },
    h('h2', {}, 'Captions of a video'),
    field('YouTube URL', url),
    h('button', { type: 'submit', class: 'primary' }, 'Get captions'),
  );
  captions.addEventListener('submit', (event) => {
    event.preventDefault();
    status.show('fetching captions…');
    const ask = (format: string) =>
      call('/api/transcript/v1/captions', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ url: url.value, format }),
      });
    sendJson<Transcript>('/api/transcript/v1/captions', { url: url.value, format: 'json' })
      .then((transcript) => {
        status.show('captions found', 'ok');
        show(transcript, ask);
      })
      .catch((error: unknown) => {
        status.show(message(error), 'error');
      });
  });

  const stt = h(
    'form',
    { class: 'card drop-target' },
    h('h2', {}, 'Transcribe an audio file'),
    h('p', { class: 'muted' }, 'Drop a file here or choose one.'),
    field('Audio or video file', audio),
    job,
  );
  const transcribe = (chosen: File) => {
    const form = new FormData();
    form.append('user_id', sessionUserId());
    form.append('file', chosen, chosen.name);
    status.show(`uploading ${chosen.name}…`);
    upload<{ job_id: string }>('/api/transcript/v1/transcriptions', form, (fraction) => {
      status.show(`uploading ${chosen.name}: ${(fraction * 100).toFixed(0)}%`);
    })
      .then(async ({ job_id }) => {
        status.show('transcribing…');
        const done = await watchJob('transcript', job_id, job, () => stopped);
        if (done?.status !== 'completed') return;
        const base = `/api/transcript/v1/transcriptions/${encodeURIComponent(job_id)}/result`;
        show(await getJson<Transcript>(`${base}?format=json`), (format) => call(`${base}?format=${format}`));
        status.show('transcribed', 'ok');
      })
      .catch((error: unknown) => {
        status.show(message(error), 'error');
      });
  };
  audio.addEventListener('change', () => {
    const chosen = audio.files?.[0];
    if (chosen) transcribe(chosen);
  });
  stt.addEventListener('dragover', (event) => {
    event.preventDefault();
    stt.classList.add('over');
  });
  stt.addEventListener('dragleave', () => {
    stt.classList.remove('over');
  });
  stt.addEventListener('drop', (event) => {
    event.preventDefault();
    stt.classList.remove('over');
    const chosen = event.dataTransfer?.files[0];
    if (chosen) transcribe(chosen);
  });

  replace(
    view,
    h(
      'div',
      { class: 'page-head' },
      h('h1', {}, 'Transcripts'),
      h('p', { class: 'muted' }, 'Captions of a YouTube video, or speech-to-text of a file.'),
    ),
    h('div', { class: 'split' }, captions, stt),
    status,
    result,
  );
  return () => {
    stopped = true;
  };
};
