import { describe, expect, it } from 'vitest';
import { payloadSchema } from '../src/models/payload.js';
import { encodePayload } from '../src/services/payload.js';
import { normaliseUrl } from '../src/services/url.js';

const encode = (data: unknown) => encodePayload(payloadSchema.parse(data));

describe('normaliseUrl', () => {
  it.each([
    ['example.com', 'https://example.com/'],
    ['  HTTP://Example.COM:80/a b?q=1#Frag  ', 'http://example.com/a%20b?q=1#Frag'],
    ['https://bücher.example/x', 'https://xn--bcher-kva.example/x'],
    ['localhost:8080/path', 'https://localhost:8080/path'],
    ['https://example.com/#/route?x=1', 'https://example.com/#/route?x=1'],
  ])('%s -> %s', (input, expected) => {
    expect(normaliseUrl(input, 'url')).toBe(expected);
  });

  it.each([
    ['ftp://example.com/file', 'scheme must be http or https'],
    ['javascript:alert(1)', 'scheme must be http or https'],
    ['mailto:someone@example.com', 'scheme must be http or https'],
    ['https://user:secret@example.com/', 'must not contain credentials'],
    ['https://exa mple.com/', 'is not a valid URL'],
    ['http://', 'is not a valid URL'],
  ])('rejects %s', (input, rule) => {
    expect(() => normaliseUrl(input, 'data.url')).toThrow(`data.url: ${rule}`);
  });

  it('rejects a URL that grows past 2000 characters once normalised', () => {
    expect(() => normaliseUrl(`https://example.com/${' '.repeat(1000)}x`, 'url')).toThrow('once normalised');
  });
});

describe('encodePayload', () => {
  it('escapes WIFI: special characters and marks hidden networks', () => {
    expect(encode({ type: 'wifi', ssid: 'My;Net,"x":\\', password: 'p@ss;word', security: 'WPA', hidden: true })).toBe(
      'WIFI:T:WPA;S:My\\;Net\\,\\"x\\"\\:\\\\;P:p@ss\\;word;H:true;;',
    );
    expect(encode({ type: 'wifi', ssid: 'Cafe', security: 'nopass' })).toBe('WIFI:T:nopass;S:Cafe;;');
    expect(encode({ type: 'wifi', ssid: 'Old', security: 'WEP', password: '0123456789' })).toBe('WIFI:T:WEP;S:Old;P:0123456789;;');
  });

  it('writes vCard 3.0 with escaped text values and CRLF lines', () => {
    const card = encode({
      type: 'vcard',
      name: 'Ada King Lovelace',
      org: 'Engines; Analytical, Ltd\\',
      phones: ['+44 20 1234-5678'],
      emails: ['ada@example.org'],
      url: 'example.org/ada',
      address: "12 St James's Square\nLondon",
    });
    expect(card.split('\r\n')).toEqual([
      'BEGIN:VCARD',
      'VERSION:3.0',
      'N:Lovelace;Ada King;;;',
      'FN:Ada King Lovelace',
      'ORG:Engines\\; Analytical\\, Ltd\\\\',
      'TEL;TYPE=VOICE:+442012345678',
      'EMAIL;TYPE=INTERNET:ada@example.org',
      'URL:https://example.org/ada',
      "ADR;TYPE=WORK:;;12 St James's Square\\nLondon;;;;",
      'END:VCARD',
    ]);
    expect(encode({ type: 'vcard', name: 'Prince' })).toContain('\r\nN:;Prince;;;\r\n');
  });

  it('writes mailto:, tel:, SMSTO: and geo: URIs', () => {
    expect(encode({ type: 'email', to: 'a@b.co', subject: 'Hi & bye', body: 'one\ntwo' })).toBe(
      'mailto:a@b.co?subject=Hi%20%26%20bye&body=one%0D%0Atwo',
    );
    expect(encode({ type: 'email', to: 'a@b.co' })).toBe('mailto:a@b.co');
    expect(encode({ type: 'tel', number: '+1 (555) 010-9999' })).toBe('tel:+15550109999');
    expect(encode({ type: 'sms', number: '+44 20 7946 0000', body: 'On my way: 5 min' })).toBe('SMSTO:+442079460000:On my way: 5 min');
    expect(encode({ type: 'sms', number: '112' })).toBe('SMSTO:112');
    expect(encode({ type: 'geo', lat: 48.85837009, lon: 2.2944813 })).toBe('geo:48.8583701,2.2944813');
    expect(encode({ type: 'geo', lat: -0.00000001, lon: 1e-7 })).toBe('geo:0,0.0000001');
    expect(encode({ type: 'geo', lat: 90, lon: -180 })).toBe('geo:90,-180');
  });
});
