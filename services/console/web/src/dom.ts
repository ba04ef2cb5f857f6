type Child = Node | string | number | null | undefined | false | Child[];
type PropValue = string | number | boolean | null | undefined | Record<string, string> | ((event: never) => void);
type Props = Record<string, PropValue>;

/** A tiny element builder: `h('button', { class: 'primary', onclick }, 'Save')`. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.slice(2), value as EventListener);
    else if (typeof value === 'object') Object.assign(element.dataset, value);
    else if (name === 'class') element.className = String(value);
    // Properties such as value, max or disabled are set as properties; everything else is an attribute.
    else if (name in element && typeof value !== 'string') (element as unknown as Record<string, unknown>)[name] = value;
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, ...children);
  return element;
}

export function append(parent: Element, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, ...child);
    else parent.append(child instanceof Node ? child : String(child));
  }
}

export function replace(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}

/** Long ids (UUIDs) shortened for tables; links keep the whole id in their title and label. */
/** UUIDs and longer ids as `01234567…cdef` (the full id goes in a title); names such as a shipped run's stay whole. */
export const shortId = (id: string): string => (id.length > 28 ? `${id.slice(0, 8)}…${id.slice(-4)}` : id);

export function debounce<A extends unknown[]>(wait: number, run: (...args: A) => void): (...args: A) => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return (...args: A) => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      run(...args);
    }, wait);
  };
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
export function bytes(size: number): string {
  let value = size;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? String(value) : value.toFixed(value < 10 ? 1 : 0)} ${UNITS[unit] ?? 'B'}`;
}

export function when(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

export function duration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '–';
  const s = Math.round(seconds);
  if (s < 60) return `${String(s)} s`;
  if (s < 3600) return `${String(Math.floor(s / 60))} min ${String(s % 60)} s`;
  return `${String(Math.floor(s / 3600))} h ${String(Math.floor((s % 3600) / 60))} min`;
}

/** A labelled form field; the label wraps the control so it is announced with it. */
export function field(label: string, control: HTMLElement, hint?: string): HTMLLabelElement {
  return h('label', { class: 'field' }, h('span', { class: 'label' }, label), control, hint ? h('small', { class: 'hint' }, hint) : null);
}

/** A status line that screen readers announce; it keeps its height when empty (no layout jump). */
export function statusLine(): HTMLParagraphElement & { show(text: string, kind?: 'error' | 'ok' | 'info'): void } {
  const line = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' }) as HTMLParagraphElement & {
    show(text: string, kind?: 'error' | 'ok' | 'info'): void;
  };
  line.show = (text, kind = 'info') => {
    line.textContent = text;
    line.dataset.kind = kind;
  };
  return line;
}

export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = h('a', { href: url, download: filename });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => {
    URL.revokeObjectURL(url);
  }, 10_000);
}
