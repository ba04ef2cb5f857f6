// A local stand-in for Discord: REST under /api/v10 (the routes the bot uses, with Discord's JSON and
// multipart formats, nonce de-duplication, 429s with rate-limit headers) and a gateway WebSocket that
// sends HELLO and READY and delivers INTERACTION_CREATE. Every REST request is recorded for assertions.
import { randomBytes } from 'node:crypto';
import { startFakeHttpServer, type FakeHttpServer } from '@platform/testing';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';

export interface RecordedFile {
  field: string;
  name: string;
  contentType: string;
  data: Buffer;
}

export interface RecordedRequest {
  method: string;
  path: string;
  /** The JSON body, or the multipart `payload_json`. */
  body: unknown;
  files: RecordedFile[];
  authorization: string | undefined;
  at: number;
}

/** An interaction callback as the bot sends it (type 4: a message, 5: deferred). */
export interface Callback {
  type: number;
  data?: { content?: string; flags?: number; attachments?: { id: number; filename: string }[] };
}

/** What the user finally sees of an interaction, and the files that came with it. */
export interface Answer {
  callback: Callback;
  answer: Callback['data'];
  files: RecordedFile[];
}

interface Fault {
  method: string;
  path: RegExp;
  status: number;
  remaining: number;
  body?: unknown;
  headers?: Record<string, string>;
}

let snowflakeCounter = 0n;
/** Discord-shaped ids (milliseconds since 2015 shifted left 22 bits, plus a counter). */
export function snowflake(): string {
  snowflakeCounter += 1n;
  return (((BigInt(Date.now()) - 1420070400000n) << 22n) + (snowflakeCounter % 4096n)).toString();
}

export interface Message {
  id: string;
  channel_id: string;
  content: string;
  embeds: unknown[];
  attachments: { id: string; filename: string; size: number }[];
  nonce?: string;
  edits: number;
}

export class FakeDiscord {
  readonly token = `fake-bot-token-${randomBytes(6).toString('hex')}`;
  readonly applicationId = snowflake();
  readonly botUserId = snowflake();
  readonly requests: RecordedRequest[] = [];
  readonly messages = new Map<string, Message>();
  readonly sockets = new Set<WebSocket>();
  identified = 0;
  private readonly faults: Fault[] = [];
  private readonly cdn = new Map<string, { data: Buffer; contentType: string }>();
  private readonly dmChannels = new Map<string, string>();
  private http: FakeHttpServer | undefined;
  private wss: WebSocketServer | undefined;
  private sequence = 0;
  private listeners: (() => void)[] = [];
  /** Answer delay for REST calls, to model a slow API. */
  latencyMs = 0;

  private constructor() {}

  static async start(): Promise<FakeDiscord> {
    const fake = new FakeDiscord();
    fake.http = await startFakeHttpServer((request, response) =>
      // A broken fake answers in Discord's error shape, so the bot's error path is what a test sees.
      fake.route(request, response).catch((error: unknown) => {
        response.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ message: String(error), code: 0 }));
      }),
    );
    fake.wss = new WebSocketServer({ server: fake.http.server, path: '/gateway' });
    fake.wss.on('connection', (socket) => {
      fake.gateway(socket);
    });
    return fake;
  }

  get origin(): string {
    if (!this.http) throw new Error('FakeDiscord is not started');
    return this.http.url;
  }

  /** DISCORD_API_BASE_URL (the bot adds /v10). */
  get apiBase(): string {
    return `${this.origin}/api`;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    const wss = this.wss;
    if (wss)
      await new Promise<void>((resolve) => {
        wss.close(() => {
          resolve();
        });
      });
    await this.http?.close();
  }

  /** Answers the next `count` matching requests with `status` (a 429 carries Discord's headers). */
  fail(method: string, path: RegExp, status: number, count = 1, body?: unknown): void {
    const headers: Record<string, string> =
      status === 429
        ? { 'retry-after': '0.2', 'x-ratelimit-global': 'false', 'x-ratelimit-scope': 'user', 'x-ratelimit-bucket': 'fake' }
        : {};
    this.faults.push({
      method,
      path,
      status,
      remaining: count,
      headers,
      body:
        body ??
        (status === 429
          ? { message: 'You are being rate limited.', retry_after: 0.2, global: false }
          : { message: 'fake failure', code: 0 }),
    });
  }

  /** Serves a file as Discord's CDN would and returns the attachment object of an interaction. */
  attachment(filename: string, data: Buffer, contentType: string) {
    const id = snowflake();
    const path = `/attachments/${id}/${filename}`;
    this.cdn.set(path, { data, contentType });
    return { id, filename, size: data.length, url: `${this.origin}${path}`, proxy_url: `${this.origin}${path}`, content_type: contentType };
  }

  dmChannelOf(userId: string): string | undefined {
    return this.dmChannels.get(userId);
  }

  find(method: string, path: RegExp): RecordedRequest[] {
    return this.requests.filter((request) => request.method === method && path.test(request.path));
  }

  async waitFor(predicate: () => boolean, timeoutMs = 20_000, what = 'the expected Discord request'): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${what}; requests: ${this.requests.map((r) => `${r.method} ${r.path}`).join(', ')}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 50);
        this.listeners.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async waitForRequest(method: string, path: RegExp, count = 1, timeoutMs?: number): Promise<RecordedRequest> {
    await this.waitFor(() => this.find(method, path).length >= count, timeoutMs, `${count} x ${method} ${String(path)}`);
    return this.find(method, path)[count - 1] as RecordedRequest;
  }

  /**
   * What the user finally sees of an interaction: the callback's message or, when the bot deferred it
   * (it does after 2 s, which a busy machine reaches), the edit or follow-up that answered (its flags:
   * the deferral's, or its own).
   */
  async answerTo(interaction: { id: string; token: string }, timeoutMs = 20_000): Promise<Answer> {
    const request = await this.waitForRequest('POST', new RegExp(`^/interactions/${interaction.id}/`), 1, timeoutMs);
    const callback = request.body as Callback;
    if (callback.type !== 5) return { callback, answer: callback.data, files: request.files };
    const webhook = new RegExp(`^/webhooks/${this.applicationId}/${interaction.token}(/messages/@original)?$`);
    const answered = () => this.requests.find((candidate) => candidate.method !== 'DELETE' && webhook.test(candidate.path));
    await this.waitFor(() => answered() !== undefined, timeoutMs, `the answer to interaction ${interaction.id}`);
    const answer = answered() as RecordedRequest;
    const data = answer.body as Callback['data'];
    return { callback, answer: answer.method === 'PATCH' ? { ...data, flags: callback.data?.flags } : data, files: answer.files };
  }

  /** Delivers an INTERACTION_CREATE to every connected gateway session. */
  dispatchInteraction(interaction: object): void {
    this.sequence += 1;
    const frame = JSON.stringify({ op: 0, t: 'INTERACTION_CREATE', s: this.sequence, d: interaction });
    for (const socket of this.sockets) socket.send(frame);
  }

  /** A slash command interaction as Discord sends it. */
  interaction(options: {
    name: string;
    options?: object[];
    userId?: string;
    guildId?: string | null;
    channelId?: string;
    roles?: string[];
    attachments?: Record<string, object>;
    type?: number;
  }) {
    const userId = options.userId ?? '111111111111111111';
    const user = { id: userId, username: 'tester', discriminator: '0', global_name: 'Tester', avatar: null };
    const guildId = options.guildId === undefined ? '222222222222222222' : options.guildId;
    const channelId = options.channelId ?? '333333333333333333';
    return {
      id: snowflake(),
      application_id: this.applicationId,
      type: options.type ?? 2,
      token: `interaction-token-${randomBytes(8).toString('hex')}`,
      version: 1,
      locale: 'en-US',
      app_permissions: '0',
      entitlements: [],
      authorizing_integration_owners: {},
      channel_id: channelId,
      channel: { id: channelId, type: guildId === null ? 1 : 0 },
      data: {
        id: snowflake(),
        name: options.name,
        type: 1,
        options: options.options ?? [],
        ...(options.attachments ? { resolved: { attachments: options.attachments } } : {}),
      },
      ...(guildId === null
        ? { user }
        : {
            guild_id: guildId,
            guild_locale: 'en-US',
            member: {
              user,
              roles: options.roles ?? [],
              permissions: '0',
              joined_at: new Date().toISOString(),
              deaf: false,
              mute: false,
              flags: 0,
            },
          }),
    };
  }

  private notify(): void {
    const listeners = this.listeners;
    this.listeners = [];
    for (const listener of listeners) listener();
  }

  private gateway(socket: WebSocket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 41_250 } }));
    socket.on('message', (raw: Buffer) => {
      const frame = JSON.parse(raw.toString()) as { op: number; d: unknown };
      if (frame.op === 1) socket.send(JSON.stringify({ op: 11 }));
      if (frame.op === 2) {
        const identify = frame.d as { token: string };
        if (identify.token !== this.token) {
          socket.close(4004, 'Authentication failed.');
          return;
        }
        this.identified += 1;
        this.sequence += 1;
        socket.send(
          JSON.stringify({
            op: 0,
            t: 'READY',
            s: this.sequence,
            d: {
              v: 10,
              user: { id: this.botUserId, username: 'platform-bot', discriminator: '0', bot: true, avatar: null, global_name: null },
              guilds: [],
              session_id: randomBytes(16).toString('hex'),
              resume_gateway_url: `${this.origin.replace('http:', 'ws:')}/gateway`,
              shard: [0, 1],
              application: { id: this.applicationId, flags: 0 },
            },
          }),
        );
      }
    });
  }

  private async readBody(request: IncomingMessage): Promise<{ body: unknown; files: RecordedFile[] }> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const type = request.headers['content-type'] ?? '';
    if (raw.length === 0) return { body: undefined, files: [] };
    if (type.startsWith('multipart/form-data')) {
      // eslint-disable-next-line @typescript-eslint/no-deprecated -- small bodies in a test fake; no extra dependency
      const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
      const files: RecordedFile[] = [];
      let body: unknown;
      for (const [field, value] of form.entries()) {
        if (typeof value === 'string') {
          if (field === 'payload_json') body = JSON.parse(value);
        } else {
          files.push({ field, name: value.name, contentType: value.type, data: Buffer.from(await value.arrayBuffer()) });
        }
      }
      return { body, files };
    }
    return { body: JSON.parse(raw.toString()) as unknown, files: [] };
  }

  private async route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.origin);
    const method = request.method ?? 'GET';
    if (method === 'GET' && this.cdn.has(url.pathname)) {
      const file = this.cdn.get(url.pathname);
      response.writeHead(200, { 'content-type': file?.contentType ?? '' }).end(file?.data);
      return;
    }
    const path = decodeURIComponent(url.pathname).replace(/^\/api\/v10/, '');
    const { body, files } = await this.readBody(request);
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    const recorded: RecordedRequest = { method, path, body, files, authorization: request.headers.authorization, at: Date.now() };
    const send = (status: number, payload?: unknown, headers: Record<string, string> = {}) => {
      this.requests.push(recorded);
      if (payload === undefined) response.writeHead(status, headers).end();
      else response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(payload));
      this.notify();
    };
    const fault = this.faults.find((f) => f.remaining > 0 && f.method === method && f.path.test(path));
    if (fault) {
      fault.remaining -= 1;
      send(fault.status, fault.body, fault.headers);
      return;
    }
    const botAuth = request.headers.authorization === `Bot ${this.token}`;
    let match: RegExpExecArray | null;
    if (method === 'GET' && path === '/gateway/bot') {
      if (!botAuth) {
        send(401, { message: '401: Unauthorized', code: 0 });
        return;
      }
      send(200, {
        url: `${this.origin.replace('http:', 'ws:')}/gateway`,
        shards: 1,
        session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 },
      });
      return;
    }
    if (method === 'POST' && /^\/interactions\/\d+\/[^/]+\/callback$/.test(path)) {
      send(204);
      return;
    }
    if ((match = /^\/webhooks\/(\d+)\/([^/]+)(\/messages\/@original)?$/.exec(path))) {
      if (match[1] !== this.applicationId) {
        send(404, { message: 'Unknown Webhook', code: 10015 });
        return;
      }
      if (method === 'DELETE') {
        send(204);
        return;
      }
      send(200, this.messageFrom(snowflake(), 'webhook', body, files));
      return;
    }
    if (!botAuth) {
      send(401, { message: '401: Unauthorized', code: 0 });
      return;
    }
    if (method === 'POST' && path === '/users/@me/channels') {
      const recipient = (body as { recipient_id: string }).recipient_id;
      const id = this.dmChannels.get(recipient) ?? snowflake();
      this.dmChannels.set(recipient, id);
      send(200, { id, type: 1, recipients: [{ id: recipient }] });
      return;
    }
    if ((match = /^\/channels\/(\d+)\/messages$/.exec(path)) && method === 'POST') {
      const nonce = (body as { nonce?: string; enforce_nonce?: boolean }).nonce;
      const existing =
        nonce === undefined ? undefined : [...this.messages.values()].find((m) => m.nonce === nonce && m.channel_id === match?.[1]);
      if (existing && (body as { enforce_nonce?: boolean }).enforce_nonce === true) {
        send(200, existing);
        return;
      }
      const message = this.messageFrom(snowflake(), match[1] ?? '', body, files);
      if (nonce !== undefined) message.nonce = nonce;
      this.messages.set(message.id, message);
      send(200, message);
      return;
    }
    if ((match = /^\/channels\/(\d+)\/messages\/(\d+)$/.exec(path)) && method === 'PATCH') {
      const message = this.messages.get(match[2] ?? '');
      if (!message || message.channel_id !== match[1]) {
        send(404, { message: 'Unknown Message', code: 10008 });
        return;
      }
      const update = body as Partial<Message>;
      if (update.content !== undefined) message.content = update.content;
      if (update.embeds !== undefined) message.embeds = update.embeds;
      if (files.length > 0) message.attachments = files.map((file) => ({ id: snowflake(), filename: file.name, size: file.data.length }));
      message.edits += 1;
      send(200, message);
      return;
    }
    if ((match = /^\/applications\/(\d+)(\/guilds\/\d+)?\/commands$/.exec(path)) && method === 'PUT') {
      send(
        200,
        (body as object[]).map((command) => ({ id: snowflake(), application_id: this.applicationId, version: snowflake(), ...command })),
      );
      return;
    }
    send(404, { message: '404: Not Found', code: 0 });
  }

  private messageFrom(id: string, channelId: string, body: unknown, files: RecordedFile[]): Message {
    const data = (body ?? {}) as { content?: string; embeds?: unknown[] };
    return {
      id,
      channel_id: channelId,
      content: data.content ?? '',
      embeds: data.embeds ?? [],
      attachments: files.map((file) => ({ id: snowflake(), filename: file.name, size: file.data.length })),
      edits: 0,
    };
  }
}
