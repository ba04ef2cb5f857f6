import type { CommandModule } from '@platform/discord';
import type { Config } from '../config.js';
import type { OutgoingMessage } from '../discord/api.js';
import type { AttachmentFetcher } from '../interactions/attachments.js';
import type { InteractionContext } from '../interactions/context.js';
import type { JobMessages } from '../jobs/messages.js';
import { UserFacingError, type ServiceClient, type Services } from '../services/clients.js';
import type { RunBook } from '../jobs/run-book.js';

/** What a command handler has at hand. */
export interface CommandEnv {
  config: Config;
  services: Services;
  jobs: JobMessages;
  runs: RunBook;
  attachments: AttachmentFetcher;
  /** Enabled and disabled commands, for /help. */
  help: () => { enabled: { name: string; description: string }[]; disabled: { name: string; reason: string }[] };
}

export interface Invocation {
  i: InteractionContext;
  env: CommandEnv;
}

export type BotCommand = CommandModule<Invocation>;

/** Discord's limit for a message's text. */
const MAX_CONTENT = 2000;

/** Text as the message, or as a file when it would not fit: never cut silently. */
export function textOrFile(text: string, filename: string, intro = ''): OutgoingMessage {
  const inline = `${intro}${text}`;
  if (inline.length <= MAX_CONTENT) return { content: inline };
  return {
    content: `${intro}The text is ${text.length.toLocaleString('en-US')} characters, so it is attached as \`${filename}\`.`,
    files: [{ name: filename, data: Buffer.from(text, 'utf8'), contentType: 'text/plain; charset=utf-8' }],
  };
}

/** A fenced block (for terminal QR codes, JSON), as a file when too long. */
export function codeBlock(text: string, filename: string): OutgoingMessage {
  const fenced = `\`\`\`\n${text}\n\`\`\``;
  return fenced.length <= MAX_CONTENT ? { content: fenced } : textOrFile(text, filename);
}

export function service(services: Services, key: keyof Services): ServiceClient {
  const client = services[key];
  if (!client) throw new UserFacingError('That service is not configured for this bot.');
  return client;
}

const EXTENSIONS: Record<string, string> = {
  'image/png': 'png',
  'image/svg+xml': 'svg',
  'image/jpeg': 'jpg',
  'text/plain': 'txt',
  'application/json': 'json',
  'application/zip': 'zip',
  'application/x-subrip': 'srt',
  'text/vtt': 'vtt',
  'text/html': 'html',
};

export function extensionFor(contentType: string): string {
  return EXTENSIONS[contentType.split(';')[0]?.trim() ?? ''] ?? 'bin';
}
