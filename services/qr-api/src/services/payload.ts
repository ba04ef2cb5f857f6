import type { Payload, PayloadOf } from '../models/payload.js';
import { normaliseUrl } from './url.js';

/** WIFI: fields escape \ ; , : and " with a backslash (ZXing's MECARD-style format). */
const escapeWifi = (value: string) => value.replace(/[\\;,:"]/g, (char) => `\\${char}`);

/** vCard 3.0 text values (RFC 2426 section 4): backslash, comma, semicolon and newlines. */
const escapeVcard = (value: string) => value.replace(/[\\,;]/g, (char) => `\\${char}`).replace(/\r\n|\r|\n/g, '\\n');

const phoneDigits = (number: string) => number.replace(/[\s().-]/g, '');

/** Decimal degrees with at most 7 places (about 1 cm) and never exponent notation. */
const degrees = (value: number) =>
  value
    .toFixed(7)
    .replace(/\.?0+$/, '')
    .replace(/^-0$/, '0');

function wifi(data: PayloadOf<'wifi'>): string {
  const fields = [`T:${data.security}`, `S:${escapeWifi(data.ssid)}`];
  if (data.security !== 'nopass' && data.password !== undefined) fields.push(`P:${escapeWifi(data.password)}`);
  if (data.hidden === true) fields.push('H:true');
  return `WIFI:${fields.join(';')};;`;
}

function email(data: PayloadOf<'email'>): string {
  // RFC 6068: line breaks in a body are CRLF, percent-encoded like everything else.
  const query = [
    ['subject', data.subject],
    ['body', data.body?.replace(/\r?\n/g, '\r\n')],
  ]
    .filter((pair): pair is [string, string] => pair[1] !== undefined && pair[1] !== '')
    .map(([key, value]) => `${key}=${encodeURIComponent(value)}`);
  return `mailto:${data.to}${query.length > 0 ? `?${query.join('&')}` : ''}`;
}

/** N: family name is the last word, given names the rest (a single `name` field cannot say more). */
function vcardName(name: string): string {
  const words = name.split(/\s+/);
  const family = words.length > 1 ? (words.pop() ?? '') : '';
  return `${escapeVcard(family)};${escapeVcard(words.join(' '))};;;`;
}

function vcard(data: PayloadOf<'vcard'>, path: string): string {
  const lines = ['BEGIN:VCARD', 'VERSION:3.0', `N:${vcardName(data.name)}`, `FN:${escapeVcard(data.name)}`];
  if (data.org) lines.push(`ORG:${escapeVcard(data.org)}`);
  for (const phone of data.phones ?? []) lines.push(`TEL;TYPE=VOICE:${phoneDigits(phone)}`);
  for (const address of data.emails ?? []) lines.push(`EMAIL;TYPE=INTERNET:${escapeVcard(address)}`);
  if (data.url) lines.push(`URL:${normaliseUrl(data.url, `${path}.url`)}`);
  if (data.address) lines.push(`ADR;TYPE=WORK:;;${escapeVcard(data.address)};;;;`);
  lines.push('END:VCARD');
  return lines.join('\r\n');
}

/** The text a payload is encoded as, in the formats phone scanners recognise; `path` names it in errors. */
export function encodePayload(data: Payload, path = 'data'): string {
  switch (data.type) {
    case 'url':
      return normaliseUrl(data.url, `${path}.url`);
    case 'text':
      return data.text;
    case 'wifi':
      return wifi(data);
    case 'email':
      return email(data);
    case 'tel':
      return `tel:${phoneDigits(data.number)}`;
    case 'sms':
      return `SMSTO:${phoneDigits(data.number)}${data.body ? `:${data.body}` : ''}`;
    case 'geo':
      return `geo:${degrees(data.lat)},${degrees(data.lon)}`;
    case 'vcard':
      return vcard(data, path);
  }
}
