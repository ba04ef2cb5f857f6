import {
  ApplicationCommandOptionType,
  InteractionResponseType,
  type APIApplicationCommandInteractionDataOption,
  type APIAttachment,
  type APIChatInputApplicationCommandInteraction,
  type APIApplicationCommandAutocompleteInteraction,
} from 'discord.js';
import { messageBody, type DiscordApi, type OutgoingFile, type OutgoingMessage } from '../discord/api.js';
import { UserFacingError } from '../services/clients.js';

export type CommandInteraction = APIChatInputApplicationCommandInteraction | APIApplicationCommandAutocompleteInteraction;
type OptionValue = string | number | boolean;

/** An interaction response: its type and data (a message body, autocomplete choices). */
export interface InteractionResponse {
  type: InteractionResponseType;
  data?: Record<string, unknown>;
}

/** How the first answer to an interaction leaves: the gateway posts a callback, HTTP answers the request. */
export type InitialResponder = (response: InteractionResponse, files?: OutgoingFile[]) => Promise<void>;

interface ParsedOptions {
  subcommand: string | undefined;
  values: Map<string, OptionValue>;
  focused: string | undefined;
}

function parseOptions(options: APIApplicationCommandInteractionDataOption[] | undefined): ParsedOptions {
  const parsed: ParsedOptions = { subcommand: undefined, values: new Map(), focused: undefined };
  const walk = (list: APIApplicationCommandInteractionDataOption[] | undefined, prefix: string[]) => {
    for (const option of list ?? []) {
      if (option.type === ApplicationCommandOptionType.SubcommandGroup || option.type === ApplicationCommandOptionType.Subcommand) {
        parsed.subcommand = [...prefix, option.name].join(' ');
        walk(option.options, [...prefix, option.name]);
      } else {
        parsed.values.set(option.name, option.value);
        if ('focused' in option && option.focused === true) parsed.focused = option.name;
      }
    }
  };
  walk(options, []);
  return parsed;
}

/** One slash command or autocomplete interaction, the same behind both transports. */
export class InteractionContext {
  readonly command: string;
  readonly subcommand: string | undefined;
  readonly userId: string;
  readonly roles: readonly string[];
  readonly channelId: string | undefined;
  readonly guildId: string | undefined;
  readonly focused: string | undefined;
  private readonly values: Map<string, OptionValue>;
  private state: 'new' | 'deferred' | 'replied' = 'new';
  /** The first answer: later edits wait for it, or Discord would not know the message yet. */
  private first: Promise<void> = Promise.resolve();
  ephemeral = false;

  constructor(
    readonly raw: CommandInteraction,
    private readonly api: DiscordApi,
    private readonly initial: InitialResponder,
  ) {
    this.command = raw.data.name;
    const options = parseOptions(raw.data.options);
    this.subcommand = options.subcommand;
    this.values = options.values;
    this.focused = options.focused;
    this.userId = raw.member?.user.id ?? raw.user?.id ?? '0';
    this.roles = raw.member?.roles ?? [];
    this.channelId = raw.channel?.id;
    this.guildId = raw.guild_id;
  }

  get responded(): boolean {
    return this.state !== 'new';
  }

  /** In a server channel (not a DM with the bot). */
  get inGuild(): boolean {
    return this.guildId !== undefined;
  }

  string(name: string): string | undefined {
    const value = this.values.get(name);
    return value === undefined ? undefined : String(value);
  }

  requiredString(name: string): string {
    const value = this.string(name);
    if (value === undefined || value === '') throw new UserFacingError(`The option \`${name}\` is required.`);
    return value;
  }

  number(name: string): number | undefined {
    const value = this.values.get(name);
    return typeof value === 'number' ? value : undefined;
  }

  boolean(name: string): boolean | undefined {
    const value = this.values.get(name);
    return typeof value === 'boolean' ? value : undefined;
  }

  attachment(name: string): APIAttachment | undefined {
    const id = this.values.get(name);
    if (typeof id !== 'string') return undefined;
    return this.raw.data.resolved && 'attachments' in this.raw.data.resolved ? this.raw.data.resolved.attachments?.[id] : undefined;
  }

  /** The "thinking…" state; Discord then waits up to 15 minutes for the answer. */
  async defer(): Promise<void> {
    if (this.state !== 'new') return;
    this.state = 'deferred';
    const type = InteractionResponseType.DeferredChannelMessageWithSource;
    this.first = this.initial(this.ephemeral ? { type, data: messageBody({ ephemeral: true }) } : { type });
    await this.first;
  }

  /**
   * The answer: the first response, the edit of the deferred one, or a follow-up. A public deferral
   * cannot become ephemeral, and the first follow-up after it would take its place (public too): for an
   * ephemeral answer the "thinking…" message is deleted first, and the answer follows as a new message.
   */
  async reply(message: OutgoingMessage): Promise<void> {
    const previous = this.state;
    this.state = 'replied';
    const ephemeral = this.ephemeral || message.ephemeral === true;
    if (previous === 'new') {
      const data = messageBody({ ...message, ephemeral });
      this.first = this.initial({ type: InteractionResponseType.ChannelMessageWithSource, data }, message.files);
      await this.first;
      return;
    }
    await this.afterFirst();
    if (previous === 'deferred' && ephemeral === this.ephemeral) {
      await this.api.editOriginal(this.raw.token, message);
      return;
    }
    if (previous === 'deferred') await this.api.deleteOriginal(this.raw.token);
    await this.api.followUp(this.raw.token, { ...message, ephemeral });
  }

  async choices(choices: { name: string; value: string | number }[]): Promise<void> {
    this.state = 'replied';
    await this.initial({ type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: { choices } });
  }

  /** Edits the answer already given (a generation streaming in). */
  async edit(message: OutgoingMessage): Promise<void> {
    if (this.state === 'new') return this.reply(message);
    await this.afterFirst();
    await this.api.editOriginal(this.raw.token, message);
  }

  /** Later requests wait for the first answer, or Discord would not know the message yet. */
  private async afterFirst(): Promise<void> {
    // The first answer's failure went to its own caller; what follows it is still tried.
    await this.first.catch(() => undefined);
  }
}
