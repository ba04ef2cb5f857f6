import { SlashCommandBuilder } from 'discord.js';
import { z } from 'zod';
import { service, textOrFile, type BotCommand } from './common.js';

const Queued = z.object({ job_id: z.string() });

export const transcript: BotCommand = {
  definition: new SlashCommandBuilder()
    .setName('transcript')
    .setDescription('Captions of a YouTube video, or speech-to-text')
    .addStringOption((o) => o.setName('url').setDescription('A YouTube link').setMaxLength(2000))
    .addStringOption((o) => o.setName('languages').setDescription('Preferred languages, e.g. en,de').setMaxLength(100))
    .addStringOption((o) =>
      o
        .setName('format')
        .setDescription('Text or subtitles (default text)')
        .addChoices({ name: 'Text', value: 'txt' }, { name: 'SRT subtitles', value: 'srt' }, { name: 'WebVTT subtitles', value: 'vtt' }),
    )
    .addBooleanOption((o) => o.setName('stt').setDescription('Transcribe the audio (a job) instead of reading captions'))
    .addAttachmentOption((o) => o.setName('audio').setDescription('An audio or video file to transcribe'))
    .toJSON(),
  requires: ['transcript'],
  async execute({ i, env }) {
    const api = service(env.services, 'transcript');
    const url = i.string('url');
    const audio = i.attachment('audio');
    if (audio || i.boolean('stt') === true) {
      let job: z.infer<typeof Queued>;
      if (audio) {
        const file = await env.attachments.download(audio);
        const form = new FormData();
        form.set('user_id', i.userId);
        form.set('file', new Blob([file.data], { type: file.contentType }), file.name);
        job = await api.json('/v1/transcriptions', Queued, {
          method: 'POST',
          body: form,
          headers: { 'idempotency-key': `discord-${i.raw.id}` },
        });
      } else {
        if (url === undefined) {
          await i.reply({ content: 'Give a YouTube `url` or attach an `audio` file to transcribe.', ephemeral: true });
          return;
        }
        job = await api.json('/v1/transcriptions', Queued, {
          method: 'POST',
          json: { youtube_url: url, user_id: i.userId },
          headers: { 'idempotency-key': `discord-${i.raw.id}` },
        });
      }
      const where = await env.jobs.track(i, 'transcript', job.job_id, 'Transcription');
      await i.reply({ content: `Transcription job \`${job.job_id}\` queued; updates ${where.dm ? 'in your DMs' : 'below'}.` });
      return;
    }
    if (url === undefined) {
      await i.reply({ content: 'Give a YouTube `url` (or `stt:true` / an `audio` file for speech-to-text).', ephemeral: true });
      return;
    }
    const format = i.string('format') ?? 'txt';
    const languages = i
      .string('languages')
      ?.split(',')
      .map((language) => language.trim())
      .filter(Boolean);
    const answer = await api.request('/v1/captions', {
      method: 'POST',
      json: { url, format, ...(languages?.length ? { languages } : {}) },
    });
    const text = await answer.text();
    if (format === 'txt') {
      await i.reply(textOrFile(text.trimEnd(), 'transcript.txt'));
      return;
    }
    await i.reply({ files: [{ name: `transcript.${format}`, data: Buffer.from(text, 'utf8'), contentType: 'text/plain; charset=utf-8' }] });
  },
};
