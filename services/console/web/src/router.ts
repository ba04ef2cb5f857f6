/** A page draws itself into `view` and returns what stops its timers and streams when the page is left. */
export type Page = (view: HTMLElement, params: string[]) => (() => void) | undefined | Promise<(() => void) | undefined>;

export interface RouteEntry {
  path: string;
  title: string;
  page: Page;
  /** Shown in the navigation. */
  nav: boolean;
}

export function parseHash(hash: string): { path: string; params: string[]; query: URLSearchParams } {
  const raw = hash.replace(/^#\/?/, '');
  const [pathPart = '', queryPart = ''] = raw.split('?');
  const [path = 'overview', ...params] = pathPart.split('/').map((part) => decodeURIComponent(part));
  return { path: path || 'overview', params, query: new URLSearchParams(queryPart) };
}
