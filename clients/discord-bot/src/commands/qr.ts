import { SlashCommandBuilder, type SlashCommandSubcommandBuilder } from 'discord.js';
import { UserFacingError } from '../services/clients.js';
import { codeBlock, extensionFor, service, type BotCommand, type Invocation } from './common.js';

/** ECC, colours and format: the same on every payload type. */
function withStyle(sub: SlashCommandSubcommandBuilder): SlashCommandSubcommandBuilder {
  return sub
    .addStringOption((o) =>
      o
        .setName('ecc')
        .setDescription('Error correction (default M)')
        .addChoices(
          { name: 'L (7%)', value: 'L' },
          { name: 'M (15%)', value: 'M' },
          { name: 'Q (25%)', value: 'Q' },
          { name: 'H (30%)', value: 'H' },
        ),
    )
    .addStringOption((o) => o.setName('dark').setDescription('Dark colour, e.g. #000000').setMaxLength(9))
    .addStringOption((o) => o.setName('light').setDescription('Light colour, e.g. #FFFFFF').setMaxLength(9))
    .addStringOption((o) =>
      o
        .setName('format')
        .setDescription('Image format (default png)')
        .addChoices({ name: 'PNG', value: 'png' }, { name: 'SVG', value: 'svg' }, { name: 'Text', value: 'text' }),
    );
}

const definition = new SlashCommandBuilder()
  .setName('qr')
  .setDescription('Make a QR code')
  .addSubcommand((s) =>
    withStyle(
      s
        .setName('url')
        .setDescription('A link')
        .addStringOption((o) => o.setName('url').setDescription('The link').setRequired(true).setMaxLength(2000)),
    ),
  )
  .addSubcommand((s) =>
    withStyle(
      s
        .setName('text')
        .setDescription('Any text')
        .addStringOption((o) => o.setName('text').setDescription('The text').setRequired(true).setMaxLength(2953)),
    ),
  )
  .addSubcommand((s) =>
    withStyle(
      s
        .setName('wifi')
        .setDescription('A Wi-Fi login')
        .addStringOption((o) => o.setName('ssid').setDescription('Network name').setRequired(true).setMaxLength(32))
        .addStringOption((o) =>
          o
            .setName('security')
            .setDescription('Security')
            .setRequired(true)
            .addChoices({ name: 'WPA/WPA2', value: 'WPA' }, { name: 'WEP', value: 'WEP' }, { name: 'None', value: 'nopass' }),
        )
        .addStringOption((o) => o.setName('password').setDescription('Password').setMaxLength(64))
        .addBooleanOption((o) => o.setName('hidden').setDescription('Hidden network')),
    ),
  )
  .addSubcommand((s) =>
    withStyle(
      s
        .setName('email')
        .setDescription('An e-mail')
        .addStringOption((o) => o.setName('to').setDescription('Address').setRequired(true).setMaxLength(320))
        .addStringOption((o) => o.setName('subject').setDescription('Subject').setMaxLength(500))
        .addStringOption((o) => o.setName('body').setDescription('Body').setMaxLength(1500)),
    ),
  )
  .addSubcommand((s) =>
    withStyle(
      s
        .setName('phone')
        .setDescription('A phone number')
        .addStringOption((o) => o.setName('number').setDescription('Number, e.g. +1 555 0100').setRequired(true).setMaxLength(32)),
    ),
  )
  .addSubcommand((s) =>
    withStyle(
      s
        .setName('sms')
        .setDescription('A text message')
        .addStringOption((o) => o.setName('number').setDescription('Number').setRequired(true).setMaxLength(32))
        .addStringOption((o) => o.setName('body').setDescription('Message').setMaxLength(1000)),
    ),
  )
  .addSubcommand((s) =>
    withStyle(
      s
        .setName('geo')
        .setDescription('A location')
        .addNumberOption((o) => o.setName('lat').setDescription('Latitude').setRequired(true).setMinValue(-90).setMaxValue(90))
        .addNumberOption((o) => o.setName('lon').setDescription('Longitude').setRequired(true).setMinValue(-180).setMaxValue(180)),
    ),
  )
  .addSubcommand((s) =>
    withStyle(
      s
        .setName('vcard')
        .setDescription('A contact card')
        .addStringOption((o) => o.setName('name').setDescription('Full name').setRequired(true).setMaxLength(200))
        .addStringOption((o) => o.setName('org').setDescription('Organisation').setMaxLength(200))
        .addStringOption((o) => o.setName('phone').setDescription('Phone').setMaxLength(32))
        .addStringOption((o) => o.setName('email').setDescription('E-mail').setMaxLength(320))
        .addStringOption((o) => o.setName('url').setDescription('Website').setMaxLength(2000)),
    ),
  )
  .toJSON();

/** The option values as the qr-api payload (`data.type` and its fields). */
function payload({ i }: Invocation): Record<string, unknown> {
  const pick = (...names: string[]) =>
    Object.fromEntries(
      names.flatMap((name) => {
        const value = i.string(name);
        return value === undefined ? [] : [[name, value]];
      }),
    );
  switch (i.subcommand) {
    case 'url':
      return { type: 'url', ...pick('url') };
    case 'text':
      return { type: 'text', ...pick('text') };
    case 'wifi':
      return {
        type: 'wifi',
        ...pick('ssid', 'security', 'password'),
        ...(i.boolean('hidden') === undefined ? {} : { hidden: i.boolean('hidden') }),
      };
    case 'email':
      return { type: 'email', ...pick('to', 'subject', 'body') };
    case 'phone':
      return { type: 'tel', ...pick('number') };
    case 'sms':
      return { type: 'sms', ...pick('number', 'body') };
    case 'geo':
      return { type: 'geo', lat: i.number('lat'), lon: i.number('lon') };
    case 'vcard': {
      const phone = i.string('phone');
      const email = i.string('email');
      return { type: 'vcard', ...pick('name', 'org', 'url'), ...(phone ? { phones: [phone] } : {}), ...(email ? { emails: [email] } : {}) };
    }
    default:
      throw new UserFacingError('Choose what to encode: /qr url, /qr text, /qr wifi, ...');
  }
}

export const qr: BotCommand = {
  definition,
  requires: ['qr'],
  async execute(invocation) {
    const { i, env } = invocation;
    const format = i.string('format') ?? 'png';
    const options = Object.fromEntries(
      ['ecc', 'dark', 'light'].flatMap((name) => {
        const value = i.string(name);
        return value === undefined ? [] : [[name, value]];
      }),
    );
    const image = await service(env.services, 'qr').bytes('/v1/qr', {
      method: 'POST',
      json: { data: payload(invocation), format, ...options },
    });
    if (format === 'text') {
      await i.reply(codeBlock(image.data.toString('utf8'), 'qr.txt'));
      return;
    }
    const name = `qr.${extensionFor(image.contentType)}`;
    await i.reply({ files: [{ name, data: image.data, contentType: image.contentType }] });
  },
};
