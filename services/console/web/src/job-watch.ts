import { getJson } from './api.js';
import { h } from './dom.js';

export interface JobDoc {
  job_id: string;
  status: 'queued' | 'processing' | 'completed' | 'failed';
  progress: number;
  message: string | null;
  result: Record<string, unknown> | null;
  result_id: string | null;
  error: { kind: string; message: string } | null;
}

/**
 * Polls a job's status until it ends, drawing a progress bar with its message into `slot`; resolves
 * with the last document. `stopped` ends the polling when the page is left.
 */
export async function watchJob(domain: string, jobId: string, slot: HTMLElement, stopped: () => boolean): Promise<JobDoc | undefined> {
  const bar = h('progress', { max: 100, value: 0 });
  const text = h('span', { class: 'muted' }, 'queued');
  slot.replaceChildren(h('a', { href: `#/job/${domain}/${encodeURIComponent(jobId)}`, class: 'mono' }, jobId), ' ', bar, ' ', text);
  for (;;) {
    if (stopped()) return undefined;
    const job = await getJson<JobDoc>(`/api/jobs/${domain}/${encodeURIComponent(jobId)}`);
    bar.value = job.progress;
    text.textContent = `${job.status} ${String(Math.round(job.progress))}%${job.message ? ` · ${job.message}` : ''}`;
    if (job.status === 'failed') text.textContent = `failed: ${job.error?.message ?? 'unknown error'}`;
    if (job.status === 'completed' || job.status === 'failed') return job;
    await new Promise((resolve) => setTimeout(resolve, 1_500));
  }
}
