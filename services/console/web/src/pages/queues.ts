import { isAdmin } from '../api.js';
import { h, replace } from '../dom.js';
import type { Page } from '../router.js';

export const queuesPage: Page = (view) => {
  const head = h(
    'div',
    { class: 'page-head' },
    h('h1', {}, 'Queues'),
    h(
      'p',
      { class: 'muted' },
      'bull-board on every domain queue. ',
      h('a', { href: '/queues/', target: '_blank', rel: 'noopener' }, 'Open it in its own tab'),
      '.',
    ),
  );
  if (!isAdmin()) {
    replace(view, head, h('p', { class: 'card' }, 'The queue board is for admin sessions: log in with a key from CONSOLE_ADMIN_KEYS.'));
    return undefined;
  }
  replace(view, head, h('iframe', { class: 'board', src: '/queues/', title: 'Queue board (bull-board)' }));
  return undefined;
};
