import type { Logger } from '@platform/core';
import { embedDigest, jobEmbed, type JobRecord, type JobStore, type JobView } from '@platform/discord';
import { createHash } from 'node:crypto';
import { isPermanentDiscordError, type DiscordApi, type OutgoingFile } from '../discord/api.js';
import { UserFacingError } from '../services/clients.js';
import type { InteractionContext } from '../interactions/context.js';

/** The result files of a finished job (a card, a subtitle file), fetched from the service that made them. */
export type ResultFiles = (record: JobRecord, view: JobView) => Promise<OutgoingFile[]>;

const DEFAULT_TITLES: Record<string, string> = {
  turkic: 'Corpus',
  transcript: 'Transcription',
  digits: 'Digit model training',
  trainer: 'Training run',
  music_wrapped: 'Wrapped',
};

/**
 * The metrics a job's message shows where a domain's events carry more: model-trainer's config and
 * summary events (parameters, device, budgets, ...) would fill the embed; the step is in the description.
 */
const SHOWN_METRICS: Record<string, readonly string[]> = {
  trainer: ['train_loss', 'val_loss', 'best_val_loss', 'tokens_per_s'],
};

function shownMetrics(view: JobView): JobView {
  const shown = SHOWN_METRICS[view.domain];
  if (shown === undefined) return view;
  return { ...view, metrics: Object.fromEntries(Object.entries(view.metrics).filter(([name]) => shown.includes(name))) };
}

/** Discord de-duplicates messages by nonce (at most 25 characters) when `enforce_nonce` is set. */
const nonceFor = (domain: string, jobId: string) => createHash('sha256').update(`${domain}\u0000${jobId}`).digest('hex').slice(0, 25);

/**
 * The one message per job: posted when the command starts the job, then edited by the event consumer.
 * Personal jobs (an ephemeral command, or a command in a DM) go to the user's DMs, others to the channel.
 */
export class JobMessages {
  constructor(
    private readonly api: DiscordApi,
    private readonly store: JobStore,
    private readonly results: ResultFiles,
    private readonly logger: Logger,
  ) {}

  async track(i: InteractionContext, domain: string, jobId: string, title: string): Promise<{ channelId: string; dm: boolean }> {
    const dm = i.ephemeral || !i.inGuild || i.channelId === undefined;
    try {
      return await this.post(i, domain, jobId, title, dm);
    } catch (error) {
      if (!isPermanentDiscordError(error)) throw error;
      // The job runs anyway; say where its updates cannot go instead of a generic failure.
      const where = dm ? "your DMs (allow direct messages from this server's members)" : 'this channel (the bot may not post here)';
      throw new UserFacingError(`Job \`${jobId}\` started, but its updates cannot be posted in ${where}.`);
    }
  }

  private async post(
    i: InteractionContext,
    domain: string,
    jobId: string,
    title: string,
    dm: boolean,
  ): Promise<{ channelId: string; dm: boolean }> {
    const channelId = i.channelId === undefined || dm ? await this.api.dmChannel(i.userId) : i.channelId;
    const record = { domain, job_id: jobId, channel_id: channelId, title, user_id: i.userId };
    await this.store.register(record);
    const view = await this.store.view(domain, jobId);
    const message = await this.api.createMessage(channelId, await this.render(record, view), nonceFor(domain, jobId));
    const shown = this.digest(record, view);
    await this.store.setMessage(domain, jobId, message.id, shown);
    // Events that arrived between the registration and the message id were saved, not shown: show them.
    const latest = await this.store.view(domain, jobId);
    const latestShown = this.digest(record, latest);
    if (latestShown !== shown) {
      await this.store.forgetShown(domain, jobId);
      await this.deliver({ ...record, message_id: message.id }, latest);
      await this.store.setShown(domain, jobId, latestShown);
    }
    return { channelId, dm };
  }

  /** The consumer's delivery: one edit of the job's message. */
  readonly deliver = async (record: JobRecord & { message_id: string }, view: JobView): Promise<void> => {
    if (record.channel_id === undefined) return;
    await this.api.editMessage(record.channel_id, record.message_id, await this.render(record, view));
  };

  /**
   * What the message shows for a view, as the consumer compares it: the embed without its time. The
   * attached files are left out: they follow from the finished view, whose embed names them.
   */
  readonly digest = (record: JobRecord, view: JobView): string => embedDigest(this.embed(record, view));

  private embed(record: JobRecord, view: JobView) {
    const title = record.title ?? DEFAULT_TITLES[record.domain] ?? record.domain;
    return jobEmbed(shownMetrics(view), title);
  }

  private async render(record: JobRecord, view: JobView) {
    const embed = this.embed(record, view);
    if (view.status !== 'completed') return { embeds: [embed] };
    const files = await this.results(record, view);
    if (files.length === 0) return { embeds: [embed] };
    const image = files.find((file) => file.contentType?.startsWith('image/') === true);
    if (image) embed.image = { url: `attachment://${image.name}` };
    this.logger.debug({ domain: record.domain, job_id: record.job_id, files: files.length }, 'job result attached');
    return { embeds: [embed], files };
  }
}
