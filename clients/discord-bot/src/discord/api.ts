import { DiscordAPIError, REST, type RawFile } from '@discordjs/rest';
import {
  InteractionResponseType,
  MessageFlags,
  Routes,
  type APIEmbed,
  type APIMessage,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';

export interface OutgoingFile {
  name: string;
  data: Buffer;
  contentType?: string;
}

/** A message the bot sends: text, embeds, files; `ephemeral` only applies to interaction responses. */
export interface OutgoingMessage {
  content?: string;
  embeds?: APIEmbed[];
  files?: OutgoingFile[];
  ephemeral?: boolean;
}

export type MessageBody = Record<string, unknown>;

/** The JSON part of a message; attachments are listed by index so Discord pairs them with the files. */
export function messageBody(message: OutgoingMessage): MessageBody {
  const body: MessageBody = { allowed_mentions: { parse: [] } };
  if (message.content !== undefined) body['content'] = message.content;
  if (message.embeds !== undefined) body['embeds'] = message.embeds;
  if (message.files !== undefined) body['attachments'] = message.files.map((file, index) => ({ id: index, filename: file.name }));
  if (message.ephemeral === true) body['flags'] = MessageFlags.Ephemeral;
  return body;
}

const rawFiles = (message: OutgoingMessage): RawFile[] | undefined =>
  message.files?.map((file) => ({ name: file.name, data: file.data, ...(file.contentType ? { contentType: file.contentType } : {}) }));

/**
 * @discordjs/rest on Node's own fetch (`makeRequest`, a documented option): its bundled undici 6
 * otherwise meets the workspace's undici 7 as the global dispatcher and fails on multipart bodies.
 */
export const restOptions = (api: string, globalRequestsPerSecond = 50) => ({
  api,
  version: '10',
  globalRequestsPerSecond,
  makeRequest: fetch as unknown as NonNullable<ConstructorParameters<typeof REST>[0]>['makeRequest'],
});

/** A response Discord may never accept again (unknown message, missing access, a user who blocks DMs). */
export function isPermanentDiscordError(error: unknown): boolean {
  // By name, not instanceof: discord.js loads @discordjs/rest's CommonJS build, this module its ESM one.
  if (!(error instanceof Error) || !error.name.startsWith(DiscordAPIError.name)) return false;
  const status = (error as { status?: unknown }).status;
  return typeof status === 'number' && status >= 400 && status < 500 && status !== 429;
}

/**
 * The Discord REST calls the bot makes, over @discordjs/rest (its per-route buckets and 429 queue).
 * Interaction and webhook routes are authenticated by the interaction token, not the bot token.
 */
export class DiscordApi {
  constructor(
    readonly rest: REST,
    readonly applicationId: string,
  ) {}

  static create(options: { apiBaseUrl: string; token: string; applicationId: string; globalRequestsPerSecond?: number }): DiscordApi {
    const rest = new REST(restOptions(options.apiBaseUrl, options.globalRequestsPerSecond)).setToken(options.token);
    return new DiscordApi(rest, options.applicationId);
  }

  async callback(
    interactionId: string,
    token: string,
    response: { type: InteractionResponseType; data?: Record<string, unknown> },
    files?: OutgoingFile[],
  ): Promise<void> {
    await this.rest.post(Routes.interactionCallback(interactionId, token), {
      auth: false,
      body: response,
      ...(files && files.length > 0 ? { files: rawFiles({ files }) } : {}),
    });
  }

  async editOriginal(token: string, message: OutgoingMessage): Promise<void> {
    const files = rawFiles(message);
    await this.rest.patch(Routes.webhookMessage(this.applicationId, token, '@original'), {
      auth: false,
      body: messageBody({ ...message, ephemeral: false }),
      ...(files ? { files } : {}),
    });
  }

  async deleteOriginal(token: string): Promise<void> {
    await this.rest.delete(Routes.webhookMessage(this.applicationId, token, '@original'), { auth: false });
  }

  async followUp(token: string, message: OutgoingMessage): Promise<void> {
    const files = rawFiles(message);
    await this.rest.post(Routes.webhook(this.applicationId, token), {
      auth: false,
      body: messageBody(message),
      ...(files ? { files } : {}),
    });
  }

  /** `nonce` with `enforce_nonce`: Discord answers the first message again for a repeated nonce. */
  async createMessage(channelId: string, message: OutgoingMessage, nonce?: string): Promise<APIMessage> {
    const files = rawFiles(message);
    const body = { ...messageBody(message), ...(nonce ? { nonce, enforce_nonce: true } : {}) };
    return (await this.rest.post(Routes.channelMessages(channelId), { body, ...(files ? { files } : {}) })) as APIMessage;
  }

  async editMessage(channelId: string, messageId: string, message: OutgoingMessage): Promise<void> {
    const files = rawFiles(message);
    await this.rest.patch(Routes.channelMessage(channelId, messageId), { body: messageBody(message), ...(files ? { files } : {}) });
  }

  async dmChannel(userId: string): Promise<string> {
    const channel = (await this.rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as { id: string };
    return channel.id;
  }

  async registerCommands(commands: RESTPostAPIChatInputApplicationCommandsJSONBody[], guildId?: string): Promise<unknown[]> {
    const route =
      guildId === undefined ? Routes.applicationCommands(this.applicationId) : Routes.applicationGuildCommands(this.applicationId, guildId);
    return (await this.rest.put(route, { body: commands })) as unknown[];
  }
}
