import type { APIAttachment } from 'discord.js';
import { UserFacingError } from '../services/clients.js';

export interface DownloadedAttachment {
  name: string;
  contentType: string;
  data: Buffer;
}

/**
 * Downloads a user's attachment from Discord's CDN. Only the configured CDN origins are fetched (the
 * URL comes from Discord's payload; anything else is refused rather than fetched), and the size is
 * bounded before and while reading.
 */
export class AttachmentFetcher {
  constructor(
    private readonly origins: readonly string[],
    private readonly maxBytes: number,
    private readonly timeoutMs = 30_000,
  ) {}

  async download(attachment: APIAttachment): Promise<DownloadedAttachment> {
    const limitMb = Math.floor(this.maxBytes / (1024 * 1024));
    if (attachment.size > this.maxBytes) throw new UserFacingError(`The attachment is larger than the ${limitMb} MiB the bot accepts.`);
    const url = new URL(attachment.url);
    if (!this.origins.includes(url.origin)) throw new UserFacingError('The attachment is not hosted on Discord.');
    // A network failure or timeout is reported just below as "could not be downloaded".
    const response = await fetch(url, { signal: AbortSignal.timeout(this.timeoutMs) }).catch(() => undefined);
    if (!response?.ok || !response.body) throw new UserFacingError('The attachment could not be downloaded from Discord; try again.');
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.byteLength;
      if (size > this.maxBytes) throw new UserFacingError(`The attachment is larger than the ${limitMb} MiB the bot accepts.`);
      chunks.push(Buffer.from(chunk));
    }
    return {
      name: attachment.filename,
      contentType: attachment.content_type ?? response.headers.get('content-type') ?? 'application/octet-stream',
      data: Buffer.concat(chunks),
    };
  }
}
