import type { BotCommand } from './common.js';
import { digits } from './digits.js';
import { files } from './files.js';
import { generate } from './generate.js';
import { help, invite } from './help.js';
import { qr } from './qr.js';
import { qrdecode } from './qrdecode.js';
import { runs, train } from './trainer.js';
import { transcript } from './transcript.js';
import { turkic } from './turkic.js';
import { wrapped } from './wrapped.js';

export const COMMANDS: readonly BotCommand[] = [
  qr,
  qrdecode,
  transcript,
  turkic,
  digits,
  train,
  runs,
  generate,
  wrapped,
  files,
  help,
  invite,
];
