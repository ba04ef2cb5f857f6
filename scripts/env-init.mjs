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
  TURKIC_API_KEYS: key(),
  TRANSCRIPT_API_KEYS: key(),
  MUSIC_API_KEYS: key(),
  MUSIC_TOKEN_KEY: randomBytes(32).toString('hex'),
};

const path = '.env';
const existing = existsSync(path) ? readFileSync(path, 'utf8') : '';
const present = new Set(
  existing
    .split('\n')
    .map((line) => /^\s*([A-Z0-9_]+)\s*=/.exec(line)?.[1])
    .filter(Boolean),
);
const missing = Object.entries(generated).filter(([name]) => !present.has(name));
if (missing.length > 0) {
  const header = existing === '' ? '# Local secrets written by `npm run up` (git-ignored). Edit freely; values are kept.\n' : '';
  const lines = missing.map(([name, value]) => `${name}=${value}`).join('\n');
  writeFileSync(path, `${existing}${existing && !existing.endsWith('\n') ? '\n' : ''}${header}${lines}\n`, { mode: 0o600 });
  console.log(`env: wrote ${missing.map(([name]) => name).join(', ')} to .env`);
} else {
  console.log('env: .env has every generated secret');
}
