import { ApiError, getJson } from '../api.js';
import { h, replace, statusLine, when } from '../dom.js';
import { followEvents } from '../events.js';
import type { Page } from '../router.js';
import { eventRow } from './live.js';

interface JobStatus {
  job_id: string;
  user_id: string;
  status: 'queued' | 'processing' | 'completed' | 'failed';
  progress: number;
  message: string | null;
  result: Record<string, unknown> | null;
  result_id: string | null;
  result_bytes: number | null;
  error: { kind: string; message: string } | null;
  created_at: string;
  updated_at: string;
}

export const jobPage: Page = (view, [domain = '', jobId = '']) => {
  const status = statusLine();
  const summary = h('div', { class: 'card job-summary' }, h('p', { class: 'muted' }, 'Loading…'));
  const events = h('tbody');
  replace(
    view,
    h(
      'div',
      { class: 'page-head' },
      h('h1', {}, 'Job ', h('code', {}, jobId)),
      h('p', { class: 'muted' }, `on queue ${domain} · `, h('a', { href: '#/live' }, 'back to the live feed')),
    ),
    status,
    summary,
    h('h2', {}, 'Events'),
    h('div', { class: 'table-wrap' }, h('table', { class: 'events' }, events)),
  );
  const draw = (job: JobStatus) => {
    replace(
      summary,
      h(
        'dl',
        { class: 'facts' },
        h('dt', {}, 'Status'),
        h('dd', {}, h('span', { class: `badge ${job.status}` }, job.status)),
        h('dt', {}, 'Progress'),
        h('dd', {}, h('progress', { max: 100, value: job.progress }), ` ${String(Math.round(job.progress))}%`),
        h('dt', {}, 'Message'),
        h('dd', {}, job.message ?? '–'),
        h('dt', {}, 'User'),
        h('dd', {}, job.user_id),
        h('dt', {}, 'Created'),
        h('dd', {}, when(job.created_at)),
        h('dt', {}, 'Updated'),
        h('dd', {}, when(job.updated_at)),
        job.error ? [h('dt', {}, 'Error'), h('dd', { class: 'error' }, `${job.error.kind}: ${job.error.message}`)] : null,
        job.result_id
          ? [
              h('dt', {}, 'Result file'),
              h(
                'dd',
                {},
                h(
                  'a',
                  { href: `/api/data-bank/v1/files/${job.result_id}`, download: `${jobId}-result` },
                  `download ${job.result_id.slice(0, 12)}…`,
                ),
              ),
            ]
          : null,
      ),
      job.result ? h('pre', { class: 'json' }, JSON.stringify(job.result, null, 2)) : null,
    );
  };
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const poll = async () => {
    try {
      const job = await getJson<JobStatus>(`/api/jobs/${encodeURIComponent(domain)}/${encodeURIComponent(jobId)}`);
      draw(job);
      status.show(`updated ${new Date().toLocaleTimeString()}`, 'ok');
      if (job.status === 'completed' || job.status === 'failed') return;
    } catch (error) {
      status.show(error instanceof ApiError ? error.full : 'the job could not be read', 'error');
      replace(summary, h('p', { class: 'muted' }, 'No status to show.'));
    }
    if (!stopped) timer = setTimeout(() => void poll(), 2_000);
  };
  void poll();
  const stop = followEvents({ domains: [domain], job: jobId, backlog: 200 }, (event) => {
    events.prepend(eventRow(event));
  });
  return () => {
    stopped = true;
    clearTimeout(timer);
    stop();
  };
};
