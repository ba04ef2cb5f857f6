import { AppError, createApp, packageInfo, type Logger, type PlatformApp } from '@platform/core';
import { verifyInteractionSignature, interactionPublicKey } from '@platform/discord';
import { InteractionResponseType, InteractionType, type APIInteraction } from 'discord.js';
import type { ServerResponse } from 'node:http';
import type { OutgoingFile } from '../discord/api.js';
import type { InteractionResponse } from '../interactions/context.js';
import type { ReadinessCheck } from '@platform/core';

export type InteractionHandler = (
  interaction: APIInteraction,
  initial: (response: InteractionResponse, files?: OutgoingFile[]) => Promise<void>,
) => Promise<void>;

/** A response with files is multipart: `payload_json` plus `files[n]` (Discord's upload format). */
async function encodeResponse(response: InteractionResponse, files: OutgoingFile[] | undefined): Promise<{ body: Buffer; type: string }> {
  if (!files || files.length === 0) return { body: Buffer.from(JSON.stringify(response)), type: 'application/json' };
  const form = new FormData();
  form.set('payload_json', JSON.stringify(response));
  files.forEach((file, index) => {
    form.set(`files[${index}]`, new Blob([file.data], file.contentType ? { type: file.contentType } : {}), file.name);
  });
  const encoded = new Response(form);
  return { body: Buffer.from(await encoded.arrayBuffer()), type: encoded.headers.get('content-type') ?? 'multipart/form-data' };
}

const finished = (raw: ServerResponse) =>
  new Promise<void>((resolve) => {
    if (raw.writableFinished) resolve();
    else
      raw.once('close', () => {
        resolve();
      });
  });

/**
 * `POST /interactions`: Discord's outgoing webhook. The Ed25519 signature over timestamp + raw body is
 * checked first (401 when missing or wrong, as Discord's endpoint validation expects); PING answers
 * PONG; a command's first answer is the HTTP response, later edits go through the REST API.
 */
export async function buildInteractionsApp(options: {
  logger: Logger;
  publicKey: string;
  handle: InteractionHandler;
  readiness?: ReadinessCheck[];
}): Promise<PlatformApp> {
  const key = interactionPublicKey(options.publicKey);
  const { name, version } = packageInfo(import.meta.url);
  const app = await createApp({ service: name, version, logger: options.logger, readiness: options.readiness ?? [] });
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => {
    done(null, body);
  });
  app.post('/interactions', { config: { auth: 'public' } }, async (request, reply) => {
    const body = request.body;
    if (!Buffer.isBuffer(body)) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the interaction as application/json.');
    const signature = request.headers['x-signature-ed25519'];
    const timestamp = request.headers['x-signature-timestamp'];
    if (
      !verifyInteractionSignature(
        key,
        typeof signature === 'string' ? signature : undefined,
        typeof timestamp === 'string' ? timestamp : undefined,
        body,
      )
    ) {
      throw new AppError('UNAUTHORIZED', 'invalid request signature');
    }
    let interaction: APIInteraction;
    try {
      interaction = JSON.parse(body.toString('utf8')) as APIInteraction;
    } catch {
      throw new AppError('INVALID_INPUT', 'The body is not JSON.');
    }
    if (interaction.type === InteractionType.Ping) return { type: InteractionResponseType.Pong };
    const answered = new Promise<{ body: Buffer; type: string } | undefined>((resolve, reject) => {
      options
        .handle(interaction, async (response, files) => {
          resolve(await encodeResponse(response, files));
          await finished(reply.raw);
        })
        .then(() => {
          resolve(undefined);
        }, reject);
    });
    const encoded = await answered;
    if (!encoded) throw new AppError('INVALID_INPUT', `Interaction type ${String(interaction.type)} is not handled.`);
    return reply.type(encoded.type).send(encoded.body);
  });
  return app;
}
