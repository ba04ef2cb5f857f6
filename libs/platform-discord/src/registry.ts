import type { APIApplicationCommandOptionChoice, RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import type { RateLimitRule } from './rate-limit.js';

export type CommandDefinition = RESTPostAPIChatInputApplicationCommandsJSONBody;
export type Choice = APIApplicationCommandOptionChoice;

/** One slash command: its options declared once (the JSON Discord registers), and its handlers. */
export interface CommandModule<Ctx, AutocompleteCtx = Ctx> {
  definition: CommandDefinition;
  /** Services the command calls; it is registered only when all of them are configured. */
  requires?: readonly string[];
  /** True: admins only; a list: those subcommands are admins only. */
  admin?: boolean | readonly string[];
  /** Personal answers (accounts, files) are only shown to the user. */
  ephemeral?: boolean;
  rateLimit?: RateLimitRule;
  execute(ctx: Ctx): Promise<void>;
  autocomplete?(ctx: AutocompleteCtx): Promise<Choice[]>;
}

export interface DisabledCommand {
  name: string;
  reason: string;
}

/** The bot's commands, split into those it registers and those it leaves off (and why). */
export class CommandRegistry<Ctx, AutocompleteCtx = Ctx> {
  private readonly byName = new Map<string, CommandModule<Ctx, AutocompleteCtx>>();
  readonly disabled: DisabledCommand[] = [];

  /** `offBecause(service)`: why a service is off, or undefined when it is on. */
  constructor(modules: readonly CommandModule<Ctx, AutocompleteCtx>[], offBecause: (service: string) => string | undefined) {
    for (const module of modules) {
      const name = module.definition.name;
      if (this.byName.has(name) || this.disabled.some((entry) => entry.name === name)) {
        throw new Error(`command /${name} is defined twice`);
      }
      const reasons = [...new Set((module.requires ?? []).flatMap((service) => offBecause(service) ?? []))];
      if (reasons.length > 0) this.disabled.push({ name, reason: reasons.join(', ') });
      else this.byName.set(name, module);
    }
  }

  get(name: string): CommandModule<Ctx, AutocompleteCtx> | undefined {
    return this.byName.get(name);
  }

  get enabled(): CommandModule<Ctx, AutocompleteCtx>[] {
    return [...this.byName.values()];
  }

  /** The body of `PUT /applications/{id}/commands`. */
  definitions(): CommandDefinition[] {
    return this.enabled.map((module) => module.definition);
  }

  isAdminOnly(name: string, subcommand: string | undefined): boolean {
    const admin = this.byName.get(name)?.admin;
    if (admin === true) return true;
    return Array.isArray(admin) && subcommand !== undefined && admin.includes(subcommand);
  }
}
