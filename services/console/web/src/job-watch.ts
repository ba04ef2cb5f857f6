import { ApiError, call, getJson } from './api.js';
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

/** A "Cancel job" button that sends `DELETE cancelPath`; the job then fails as cancelled. */
function cancelButton(cancelPath: string, text: HTMLElement): HTMLButtonElement {
  const button = h('button', { type: 'button', class: 'small danger' }, 'Cancel job');
  button.addEventListener('click', () => {
    button.disabled = true;
    call(cancelPath, { method: 'DELETE' })
      .then(() => {
        text.textContent = 'cancelling…';
      })
      .catch((error: unknown) => {
        text.textContent = error instanceof ApiError ? error.full : 'cancel failed';
        button.disabled = false;
      });
  });
  return button;
}

/**
 * Polls a job's status until it ends, drawing a progress bar with its message into `slot` (and a
 * cancel button while it runs, when `cancelPath` is given); resolves with the last document.
 * `stopped` ends the polling when the page is left.
 */
export async function watchJob(
  domain: string,
  jobId: string,
  slot: HTMLElement,
  stopped: () => boolean,
  cancelPath?: string,
): Promise<JobDoc | undefined> {
  const bar = h('progress', { max: 100, value: 0 });
  const text = h('span', { class: 'muted' }, 'queued');
  const cancel = cancelPath === undefined ? null : cancelButton(cancelPath, text);
  slot.replaceChildren(
    h('a', { href: `#/job/${domain}/${encodeURIComponent(jobId)}`, class: 'mono' }, jobId),
    ' ',
    bar,
    ' ',
    text,
    ...(cancel ? [' ', cancel] : []),
  );
  for (;;) {
    if (stopped()) return undefined;
    const job = await getJson<JobDoc>(`/api/jobs/${domain}/${encodeURIComponent(jobId)}`);
    bar.value = job.progress;
    const running = job.status === 'queued' || job.status === 'processing';
    // The last progress message ("storing") is stale once the job has ended.
    if (!cancel?.disabled)
      text.textContent = `${job.status} ${String(Math.round(job.progress))}%${running && job.message ? ` · ${job.message}` : ''}`;
    if (job.status === 'failed') text.textContent = `failed: ${job.error?.message ?? 'unknown error'}`;
    if (!running) {
      cancel?.remove();
      return job;
    }
    await new Promise((resolve) => setTimeout(resolve, 1_500));
  }
}
