// Writes the git-ignored root .env with random secrets on the first run; existing values are kept.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const key = () => randomBytes(24).toString('base64url');
const dataBankKey = key();

/** Secrets every local platform gets, so even a local platform is never open. */
const generated = {
  // data-bank: one key with every permission (read and delete keys default to the upload keys),
  // which the other services use as their DATA_BANK_API_KEY.
  DATA_BANK_UPLOAD_KEYS: dataBankKey,
  DATA_BANK_API_KEY: dataBankKey,
  MUSIC_TOKEN_KEY: randomBytes(32).toString('hex'),
  CONSOLE_ADMIN_KEYS: key(),
  CONSOLE_SESSION_SECRET: key(),
};
const path = '.env';
const existing = existsSync(path) ? readFileSync(path, 'utf8') : '';
const values = new Map(
  existing
    .split('\n')
    .map((line) => /^\s*([A-Z0-9_]+)\s*=\s*(.*?)\s*$/.exec(line))
    .filter(Boolean)
    .map((match) => [match[1], match[2]]),
);
// Each service's key list (what it accepts) and its first key for the clients (the bot, the console).
for (const service of ['TURKIC', 'TRANSCRIPT', 'MUSIC', 'HANDWRITING', 'TRAINER']) {
  const list = values.get(`${service}_API_KEYS`) ?? key();
  generated[`${service}_API_KEYS`] = list;
  generated[`${service}_API_KEY`] = list.split(',')[0].trim();
}

const missing = Object.entries(generated).filter(([name]) => !values.has(name));
if (missing.length > 0) {
  const header = existing === '' ? '# Local secrets written by `npm run up` (git-ignored). Edit freely; values are kept.\n' : '';
  const lines = missing.map(([name, value]) => `${name}=${value}`).join('\n');
  writeFileSync(path, `${existing}${existing && !existing.endsWith('\n') ? '\n' : ''}${header}${lines}\n`, { mode: 0o600 });
  console.log(`env: wrote ${missing.map(([name]) => name).join(', ')} to .env`);
  const consoleKey = missing.find(([name]) => name === 'CONSOLE_ADMIN_KEYS');
  if (consoleKey) console.log(`env: the console's admin key (log in at http://127.0.0.1:8080 with it; kept in .env): ${consoleKey[1]}`);
} else {
  console.log('env: .env has every generated secret');
}
