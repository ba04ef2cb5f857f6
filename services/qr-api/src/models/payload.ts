import { z } from 'zod';

const utf8Bytes = (value: string) => Buffer.byteLength(value, 'utf8');

export const URL_MAX_CHARS = 2000;

export const urlString = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(URL_MAX_CHARS, `must be at most ${URL_MAX_CHARS} characters`);

const PHONE = /^\+?[0-9][0-9 ().-]{1,30}$/;
const phoneSchema = z.string().trim().regex(PHONE, 'must be a phone number: digits, an optional leading +, spaces, dots, dashes or parentheses');

const email = z.email('must be an email address').max(254);

const urlPayload = z.strictObject({ type: z.literal('url'), url: urlString });

const textPayload = z.strictObject({ type: z.literal('text'), text: z.string().min(1, 'must not be empty').max(7089) });

const HEX_KEY = /^[0-9a-f]+$/i;

const wifiPayload = z
  .strictObject({
    type: z.literal('wifi'),
    ssid: z
      .string()
      .min(1, 'must not be empty')
      .refine((ssid) => utf8Bytes(ssid) <= 32, 'must be at most 32 bytes (UTF-8)'),
    password: z.string().optional(),
    security: z.enum(['WPA', 'WEP', 'nopass'], { error: 'must be one of WPA, WEP, nopass' }),
    hidden: z.boolean().optional(),
  })
  .superRefine((wifi, ctx) => {
    const password = wifi.password;
    const fail = (message: string) => {
      ctx.addIssue({ code: 'custom', path: ['password'], message });
    };
    if (wifi.security === 'nopass') {
      if (password !== undefined && password !== '') fail('must be absent when security is nopass');
    } else if (password === undefined || password === '') {
      fail(`is required when security is ${wifi.security}`);
    } else if (wifi.security === 'WPA') {
      const ok = (password.length >= 8 && password.length <= 63) || (password.length === 64 && HEX_KEY.test(password));
      if (!ok) fail('a WPA key is 8..63 characters or 64 hex digits');
    } else {
      const ok = [5, 13, 16].includes(password.length) || ([10, 26, 32].includes(password.length) && HEX_KEY.test(password));
      if (!ok) fail('a WEP key is 5, 13 or 16 characters or 10, 26 or 32 hex digits');
    }
  });

const emailPayload = z.strictObject({
  type: z.literal('email'),
  to: email,
  subject: z.string().max(255).optional(),
  body: z.string().max(2000).optional(),
});

const telPayload = z.strictObject({ type: z.literal('tel'), number: phoneSchema });

const smsPayload = z.strictObject({ type: z.literal('sms'), number: phoneSchema, body: z.string().max(1000).optional() });

const geoPayload = z.strictObject({
  type: z.literal('geo'),
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
});

const vcardPayload = z.strictObject({
  type: z.literal('vcard'),
  name: z.string().trim().min(1, 'must not be empty').max(100),
  org: z.string().max(100).optional(),
  phones: z.array(phoneSchema).max(5).optional(),
  emails: z.array(email).max(5).optional(),
  url: urlString.optional(),
  address: z.string().max(200).optional(),
});

export const payloadSchema = z.discriminatedUnion(
  'type',
  [urlPayload, textPayload, wifiPayload, emailPayload, telPayload, smsPayload, geoPayload, vcardPayload],
  { error: 'type must be one of url, text, wifi, email, tel, sms, geo, vcard' },
);

export type Payload = z.output<typeof payloadSchema>;
export type PayloadOf<T extends Payload['type']> = Extract<Payload, { type: T }>;
