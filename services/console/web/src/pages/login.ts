import { ApiError, sendJson } from '../api.js';
import { field, h, replace, statusLine } from '../dom.js';

export function loginPage(view: HTMLElement, done: () => Promise<void>): void {
  const key = h('input', { type: 'password', name: 'key', autocomplete: 'current-password', required: true, autofocus: true });
  const status = statusLine();
  const button = h('button', { type: 'submit', class: 'primary' }, 'Log in');
  const form = h(
    'form',
    { class: 'card login', 'aria-labelledby': 'login-title' },
    h('h1', { id: 'login-title' }, 'Platform console'),
    h('p', { class: 'muted' }, 'Log in with a key from CONSOLE_ADMIN_KEYS (npm run up prints one and keeps it in .env).'),
    field('Console key', key),
    button,
    status,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    button.disabled = true;
    status.show('Logging in…');
    sendJson('/api/login', { key: key.value })
      .then(done)
      .catch((error: unknown) => {
        status.show(error instanceof ApiError ? error.full : 'log in failed', 'error');
        key.select();
      })
      .finally(() => {
        button.disabled = false;
      });
  });
  replace(view, form);
  key.focus();
}
