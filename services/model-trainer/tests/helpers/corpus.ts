import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** tiny-shakespeare from the shared datasets beside the checkout, else the committed excerpt. */
const shared = fileURLToPath(new URL('../../../../../shared/datasets/tinyshakespeare.txt', import.meta.url));
export const SHAKESPEARE = existsSync(shared) ? shared : fileURLToPath(new URL('../fixtures/shakespeare-excerpt.txt', import.meta.url));
