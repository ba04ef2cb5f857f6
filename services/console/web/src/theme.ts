const KEY = 'console-theme';
type Theme = 'light' | 'dark';

const systemTheme = (): Theme => (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light');

/** The system's theme until the button picks one; the choice is remembered on this browser. */
export function initTheme(button: HTMLButtonElement): void {
  const apply = (theme: Theme) => {
    document.documentElement.dataset.theme = theme;
    button.textContent = theme === 'dark' ? 'Light theme' : 'Dark theme';
    button.setAttribute('aria-pressed', String(theme === 'dark'));
  };
  const stored = localStorage.getItem(KEY);
  apply(stored === 'dark' || stored === 'light' ? stored : systemTheme());
  button.addEventListener('click', () => {
    const next: Theme = document.documentElement.dataset.theme === 'dark' ? 'light' : 'dark';
    localStorage.setItem(KEY, next);
    apply(next);
  });
}
