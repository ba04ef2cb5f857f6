import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';

const ChatTurn = z.object({ role: z.enum(['user', 'model']), text: z.string() });
export type ChatTurn = z.output<typeof ChatTurn>;

/** A session as stored in Redis (validated when read back). */
const ChatSession = z.object({ session_id: z.string(), run_id: z.string(), turns: z.array(ChatTurn) });
export type ChatSession = z.output<typeof ChatSession>;

/** Chat sessions in Redis, one JSON value each, expiring `ttlSeconds` after their last turn. */
export class ChatStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttlSeconds: number,
  ) {}

  private key = (id: string) => `${this.prefix}:chat:${id}`;

  async get(id: string): Promise<ChatSession | undefined> {
    const raw = await this.redis.get(this.key(id));
    return raw === null ? undefined : ChatSession.parse(JSON.parse(raw));
  }

  create(runId: string): ChatSession {
    return { session_id: randomUUID(), run_id: runId, turns: [] };
  }

  async save(session: ChatSession): Promise<void> {
    await this.redis.set(this.key(session.session_id), JSON.stringify(session), 'EX', this.ttlSeconds);
  }
}

/** The transcript as the model's prompt: each turn under a speaker line, then the model's cue. */
export function chatPrompt(turns: readonly ChatTurn[]): string {
  return `${turns.map((turn) => `${turn.role === 'user' ? 'USER' : 'MODEL'}:\n${turn.text}\n\n`).join('')}MODEL:\n`;
}
