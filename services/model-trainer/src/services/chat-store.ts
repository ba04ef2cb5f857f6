import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

export interface ChatTurn {
  role: 'user' | 'model';
  text: string;
}

export interface ChatSession {
  session_id: string;
  run_id: string;
  turns: ChatTurn[];
}

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
    return raw === null ? undefined : (JSON.parse(raw) as ChatSession);
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
