import { ApiError, call, getJson, isAdmin, upload } from '../api.js';
import { bytes, h, replace, statusLine, when } from '../dom.js';
import type { Page } from '../router.js';

export interface FileRecord {
  file_id: string;
  size: number;
  sha256: string;
  content_type: string;
  created_at: string;
}
interface FileList {
  files: FileRecord[];
  next_cursor: string | null;
}

const PAGE_SIZE = 20;
const PREVIEW_BYTES = 64 * 1024;
export const fileUrl = (id: string): string => `/api/data-bank/v1/files/${id}`;

const isText = (type: string) => type.startsWith('text/') || /json|xml|csv|yaml|javascript/.test(type);

async function previewOf(file: FileRecord): Promise<HTMLElement> {
  if (file.content_type.startsWith('image/'))
    return h('img', { src: fileUrl(file.file_id), alt: `preview of ${file.file_id}`, class: 'preview-image' });
  if (!isText(file.content_type)) return h('p', { class: 'muted' }, `No preview for ${file.content_type}; download it instead.`);
  const response = await call(fileUrl(file.file_id), { headers: { range: `bytes=0-${String(PREVIEW_BYTES - 1)}` } });
  let text = await response.text();
  if (file.content_type.includes('json')) {
    try {
      text = JSON.stringify(JSON.parse(text), null, 2);
    } catch {
      // cut at the preview size or not JSON after all: shown as it is
    }
  }
  const cut = file.size > PREVIEW_BYTES ? h('p', { class: 'muted small' }, `first ${bytes(PREVIEW_BYTES)} of ${bytes(file.size)}`) : null;
  return h('div', {}, h('pre', { class: 'preview-text' }, text), cut);
}

export const filesPage: Page = (view) => {
  const status = statusLine();
  const body = h('tbody');
  const preview = h(
    'section',
    { class: 'card preview', 'aria-label': 'Preview', 'aria-live': 'polite' },
    h('p', { class: 'muted' }, 'Choose a file to preview it.'),
  );
  const previous = h('button', { type: 'button', disabled: true }, '← Newer ids');
  const next = h('button', { type: 'button', disabled: true }, 'More →');
  const bar = h('progress', { max: 1, value: 0, class: 'upload-progress', 'aria-label': 'Upload progress' });
  const input = h('input', { type: 'file', multiple: true, class: 'sr-only', id: 'file-input' });
  const drop = h(
    'div',
    { class: 'drop', tabindex: '0', role: 'button', 'aria-label': 'Upload files: drop them here or press Enter to choose' },
    h('strong', {}, 'Drop files here'),
    h('span', { class: 'muted' }, ' or '),
    h('label', { for: 'file-input', class: 'link' }, 'choose files'),
    input,
    bar,
  );
  const cursors: (string | undefined)[] = [undefined];
  let page = 0;

  const row = (file: FileRecord) => {
    const show = h('button', { type: 'button', class: 'link mono', title: file.file_id }, `${file.file_id.slice(0, 12)}…`);
    show.addEventListener('click', () => void open(file));
    const remove = isAdmin()
      ? h('button', { type: 'button', class: 'danger small', 'aria-label': `Delete ${file.file_id}` }, 'Delete')
      : null;
    remove?.addEventListener('click', () => void destroy(file));
    return h(
      'tr',
      { dataset: { id: file.file_id } },
      h('td', {}, show),
      h('td', {}, file.content_type),
      h('td', { class: 'num nowrap' }, bytes(file.size)),
      h('td', { class: 'nowrap' }, new Date(file.created_at).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' })),
      h(
        'td',
        { class: 'actions' },
        h('div', {}, h('a', { href: fileUrl(file.file_id), download: file.file_id, class: 'button small' }, 'Download'), remove),
      ),
    );
  };

  const load = async () => {
    try {
      const cursor = cursors[page];
      const query = new URLSearchParams({ limit: String(PAGE_SIZE), ...(cursor && { cursor }) });
      const list = await getJson<FileList>(`/api/data-bank/v1/files?${query.toString()}`);
      replace(
        body,
        ...(list.files.length === 0
          ? [h('tr', {}, h('td', { colspan: 5, class: 'muted' }, 'No files yet: drop one above.'))]
          : list.files.map(row)),
      );
      cursors[page + 1] = list.next_cursor ?? undefined;
      next.disabled = list.next_cursor === null;
      previous.disabled = page === 0;
      status.show(`page ${String(page + 1)} · ${String(list.files.length)} files`, 'ok');
    } catch (error) {
      status.show(error instanceof ApiError ? error.full : 'the file list failed', 'error');
    }
  };

  const open = async (file: FileRecord) => {
    replace(
      preview,
      h('h2', {}, 'Preview'),
      h('p', { class: 'mono small break' }, file.file_id),
      h('p', { class: 'muted small' }, `${file.content_type} · ${bytes(file.size)} · ${when(file.created_at)}`),
      h('p', { class: 'muted' }, 'Loading…'),
    );
    try {
      const content = await previewOf(file);
      preview.lastElementChild?.replaceWith(content);
    } catch (error) {
      preview.lastElementChild?.replaceWith(h('p', { class: 'error' }, error instanceof ApiError ? error.full : 'the preview failed'));
    }
  };

  const destroy = async (file: FileRecord) => {
    if (!confirm(`Delete ${file.file_id}? Services that stored it will no longer find it.`)) return;
    try {
      await call(fileUrl(file.file_id), { method: 'DELETE' });
      status.show(`deleted ${file.file_id.slice(0, 12)}…`, 'ok');
      await load();
    } catch (error) {
      status.show(error instanceof ApiError ? error.full : 'the delete failed', 'error');
    }
  };

  const send = async (files: File[]) => {
    for (const [index, file] of files.entries()) {
      status.show(`uploading ${file.name} (${String(index + 1)} of ${String(files.length)})…`);
      drop.classList.add('busy');
      try {
        const record = await upload<FileRecord>(
          '/api/data-bank/v1/files',
          file,
          (fraction) => {
            bar.value = fraction;
          },
          file.type || 'application/octet-stream',
        );
        status.show(`${file.name} stored as ${record.file_id.slice(0, 12)}…`, 'ok');
        drop.dataset.last = record.file_id;
      } catch (error) {
        status.show(`${file.name}: ${error instanceof ApiError ? error.full : 'upload failed'}`, 'error');
        return;
      }
    }
    page = 0;
    await load();
    setTimeout(() => {
      drop.classList.remove('busy');
    }, 1_500);
  };

  input.addEventListener('change', () => void send([...(input.files ?? [])]));
  drop.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      input.click();
    }
  });
  drop.addEventListener('dragover', (event) => {
    event.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => {
    drop.classList.remove('over');
  });
  drop.addEventListener('drop', (event) => {
    event.preventDefault();
    drop.classList.remove('over');
    void send([...(event.dataTransfer?.files ?? [])]);
  });
  previous.addEventListener('click', () => {
    page = Math.max(0, page - 1);
    void load();
  });
  next.addEventListener('click', () => {
    page++;
    void load();
  });

  replace(
    view,
    h('div', { class: 'page-head' }, h('h1', {}, 'Files'), h('p', { class: 'muted' }, 'The data-bank store, in file id order.')),
    drop,
    status,
    h(
      'div',
      { class: 'split files-split' },
      h(
        'section',
        { 'aria-label': 'Files' },
        h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: 'files' },
            h('thead', {}, h('tr', {}, ...['File', 'Type', 'Size', 'Created', ''].map((title) => h('th', { scope: 'col' }, title)))),
            body,
          ),
        ),
        h('div', { class: 'pager' }, previous, next),
      ),
      preview,
    ),
  );
  void load();
  return undefined;
};
