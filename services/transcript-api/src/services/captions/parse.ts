import { XMLParser } from 'fast-xml-parser';
import { z } from 'zod';
import type { Segment } from '../../models/transcript.js';
import { cleanText } from './clean.js';

/** YouTube's json3 timed text: events in milliseconds, each with text runs. */
const Json3 = z.object({
  events: z
    .array(
      z.object({
        tStartMs: z.number().default(0),
        dDurationMs: z.number().default(0),
        segs: z.array(z.object({ utf8: z.string().default('') })).optional(),
      }),
    )
    .default([]),
});

function parseJson3(body: string): Segment[] {
  const document = Json3.parse(JSON.parse(body));
  return document.events.flatMap((event) => {
    const text = cleanText((event.segs ?? []).map((seg) => seg.utf8).join(''));
    if (text === '') return [];
    return [{ start: event.tStartMs / 1000, end: (event.tStartMs + event.dDurationMs) / 1000, text }];
  });
}

type XmlNode = Record<string, unknown>;
const xml = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  processEntities: true,
  trimValues: false,
});

function children(nodes: unknown, name: string): XmlNode[] {
  if (!Array.isArray(nodes)) return [];
  return (nodes as XmlNode[]).filter((node) => name in node);
}

function textOf(nodes: unknown): string {
  if (!Array.isArray(nodes)) return '';
  return (nodes as XmlNode[])
    .map((node) => {
      if ('#text' in node) return String(node['#text']);
      if ('br' in node) return ' ';
      const [key] = Object.keys(node).filter((k) => k !== ':@');
      return key === undefined ? '' : textOf(node[key]);
    })
    .join('');
}

const attribute = (node: XmlNode, name: string): number => {
  const attributes = (node[':@'] ?? {}) as Record<string, string>;
  const value = Number(attributes[name]);
  return Number.isFinite(value) ? value : 0;
};

/** srv1 (`<transcript><text start dur>`, seconds) and srv3 (`<timedtext format="3"><body><p t d>`, ms). */
function parseTimedTextXml(body: string): Segment[] {
  const root = xml.parse(body) as unknown;
  const cue = (text: string, start: number, end: number): Segment[] => {
    const cleaned = cleanText(text);
    return cleaned === '' ? [] : [{ start, end, text: cleaned }];
  };
  const transcript = children(root, 'transcript')[0];
  if (transcript) {
    return children(transcript.transcript, 'text').flatMap((node) =>
      cue(textOf(node.text), attribute(node, 'start'), attribute(node, 'start') + attribute(node, 'dur')),
    );
  }
  const timedtext = children(root, 'timedtext')[0];
  const body3 = timedtext ? children(timedtext.timedtext, 'body')[0] : undefined;
  if (!body3) throw new Error('unknown timed text XML');
  return children(body3.body, 'p').flatMap((node) =>
    cue(textOf(node.p), attribute(node, 't') / 1000, (attribute(node, 't') + attribute(node, 'd')) / 1000),
  );
}

function vttTime(value: string): number {
  const match = /^(?:(\d+):)?(\d{1,2}):(\d{2})[.,](\d{3})$/.exec(value.trim());
  if (!match) throw new Error(`invalid WebVTT timestamp "${value}"`);
  const [, h = '0', m = '0', s = '0', ms = '0'] = match;
  return Number(h) * 3600 + Number(m) * 60 + Number(s) + Number(ms) / 1000;
}

/** WebVTT (and SRT) cues; inline timestamps and voice/class tags are markup and go with cleanText. */
export function parseVtt(body: string): Segment[] {
  const segments: Segment[] = [];
  for (const block of body.replace(/\r\n?/g, '\n').split(/\n{2,}/)) {
    const lines = block.split('\n');
    const timing = lines.findIndex((line) => line.includes('-->'));
    if (timing < 0) continue;
    const [startText = '', rest = ''] = (lines[timing] ?? '').split('-->');
    const text = cleanText(lines.slice(timing + 1).join('\n'));
    if (text === '') continue;
    segments.push({ start: vttTime(startText), end: vttTime(rest.trim().split(/\s+/)[0] ?? ''), text });
  }
  return segments;
}

/** Parses whichever timed-text format the server answered with. */
export function parseCaptions(body: string): Segment[] {
  const head = body.trimStart();
  if (head.startsWith('{')) return parseJson3(head);
  if (head.startsWith('<')) return parseTimedTextXml(head);
  if (head.startsWith('WEBVTT') || /^\d+\s*\n\d/.test(head)) return parseVtt(head);
  throw new Error('unknown caption format');
}
