import { Resvg } from '@resvg/resvg-js';
import satori from 'satori';
import type { WrappedReport } from '../analytics/report.js';
import { cardFonts } from './fonts.js';
import { counted, noun } from '../wording.js';

export type CardLayout = 'story' | 'landscape';
export const CARD_SIZES: Record<CardLayout, { width: number; height: number }> = {
  story: { width: 1080, height: 1920 },
  landscape: { width: 1200, height: 630 },
};

type Style = Record<string, string | number>;
interface Node {
  type: string;
  props: { style?: Style; children?: Child | Child[] };
}
type Child = Node | string;

/** A satori element (the shape React.createElement makes), without React. */
const box = (style: Style, ...children: Child[]): Node => ({ type: 'div', props: { style: { display: 'flex', ...style }, children } });
const text = (value: string, style: Style = {}): Node => box({ ...style }, value);

const COLORS = { ink: '#f5f3ff', dim: '#c4b5fd', accent: '#facc15', bar: '#a78bfa', barDim: '#4c1d95' };
const MONTHS = ['J', 'F', 'M', 'A', 'M', 'J', 'J', 'A', 'S', 'O', 'N', 'D'];
const formatNumber = (value: number) => Math.round(value).toLocaleString('en-US');

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });
/** Shortens a name that would not fit, between graphemes. */
const fit = (value: string, max: number) => {
  const parts = Array.from(graphemes.segment(value), (part) => part.segment);
  return parts.length <= max ? value : `${parts.slice(0, max - 1).join('')}…`;
};

function ranked(title: string, rows: { label: string; sub: string; value: number }[], scale: number, max: number, firstRank = 1): Node {
  const top = Math.max(1, ...rows.map((row) => row.value));
  return box(
    { flexDirection: 'column', gap: 14 * scale },
    text(title, { fontSize: 30 * scale, fontWeight: 800, color: COLORS.accent, textTransform: 'uppercase', letterSpacing: 2 }),
    ...rows.map((row, index) =>
      box(
        { flexDirection: 'column', gap: 6 * scale },
        box(
          { alignItems: 'baseline', gap: 16 * scale },
          text(String(index + firstRank), { fontSize: 30 * scale, fontWeight: 800, color: COLORS.dim, width: 36 * scale }),
          text(fit(row.label, max), { fontSize: 34 * scale, fontWeight: 700, color: COLORS.ink }),
          text(row.sub, { fontSize: 24 * scale, color: COLORS.dim }),
        ),
        box({
          marginLeft: 52 * scale,
          height: 8 * scale,
          width: `${Math.max(4, (row.value / top) * 85)}%`,
          backgroundColor: COLORS.bar,
          borderRadius: 4,
        }),
      ),
    ),
  );
}

function columns(title: string, values: number[], labels: string[], height: number, scale: number): Node {
  const top = Math.max(1, ...values);
  return box(
    { flexDirection: 'column', gap: 10 * scale },
    text(title, { fontSize: 26 * scale, fontWeight: 800, color: COLORS.accent, textTransform: 'uppercase', letterSpacing: 2 }),
    box(
      { alignItems: 'flex-end', height, gap: 6 * scale },
      ...values.map((value) =>
        box({
          flexGrow: 1,
          flexBasis: 0,
          height: Math.max(3, (value / top) * height),
          backgroundColor: value === top ? COLORS.accent : COLORS.bar,
          borderRadius: 4,
        }),
      ),
    ),
    box(
      { gap: 6 * scale },
      ...labels.map((label) =>
        text(label, { flexGrow: 1, flexBasis: 0, justifyContent: 'center', fontSize: 18 * scale, color: COLORS.dim }),
      ),
    ),
  );
}

function stat(value: string, label: string, scale: number): Node {
  return box(
    { flexDirection: 'column' },
    text(value, { fontSize: 64 * scale, fontWeight: 800, color: COLORS.ink }),
    text(label, { fontSize: 24 * scale, color: COLORS.dim }),
  );
}

function monthPlays(report: WrappedReport): number[] {
  const plays = new Array<number>(12).fill(0);
  for (const month of report.months) plays[month.month - 1] = month.plays;
  return plays;
}

/** The card's background, with the content inset by `inset` (padding would add to the size in satori). */
function frame(width: number, height: number, inset: number, gradient: string, content: Style, ...children: Child[]): Node {
  return box(
    { width, height, backgroundImage: gradient, fontFamily: 'Inter' },
    box({ flexGrow: 1, margin: inset, ...content }, ...children),
  );
}

function story(report: WrappedReport): Node {
  const topArtist = report.top_artists[0];
  const stats = [
    stat(formatNumber(report.totals.plays), 'plays', 1),
    stat(formatNumber(report.totals.distinct_artists), noun(report.totals.distinct_artists, 'artist'), 1),
    stat(report.longest_streak ? `${report.longest_streak.days}d` : '–', 'longest streak', 1),
  ];
  return frame(
    1080,
    1920,
    72,
    'linear-gradient(160deg, #1e1b4b 0%, #5b21b6 55%, #be185d 100%)',
    { flexDirection: 'column', gap: 34 },
    box(
      { flexDirection: 'column' },
      text(`${report.year} WRAPPED`, { fontSize: 40, fontWeight: 800, color: COLORS.accent, letterSpacing: 6 }),
      text(formatNumber(report.totals.minutes), { fontSize: 150, fontWeight: 800, color: COLORS.ink, lineHeight: 1 }),
      text('minutes listened', { fontSize: 40, color: COLORS.dim }),
    ),
    topArtist
      ? box(
          { flexDirection: 'column', padding: 36, borderRadius: 28, backgroundColor: 'rgba(0,0,0,0.25)' },
          text('Top artist', { fontSize: 28, color: COLORS.dim }),
          text(fit(topArtist.name, 28), { fontSize: 72, fontWeight: 800, color: COLORS.ink }),
          text(`${counted(topArtist.plays, 'play')} · ${Math.round(report.top_artist_share * 100)}% of your year`, {
            fontSize: 28,
            color: COLORS.dim,
          }),
        )
      : box({}),
    ranked(
      'More top artists',
      report.top_artists.slice(1, 5).map((a) => ({ label: a.name, sub: counted(a.plays, 'play'), value: a.plays })),
      1,
      26,
      2,
    ),
    ranked(
      'Top tracks',
      report.top_tracks.slice(0, 5).map((t) => ({ label: t.name, sub: fit(t.artist, 20), value: t.plays })),
      1,
      24,
    ),
    columns('Plays by month', monthPlays(report), MONTHS, 120, 1),
    box({ justifyContent: 'space-between', marginTop: 'auto' }, ...stats),
  );
}

function landscape(report: WrappedReport): Node {
  const topArtist = report.top_artists[0];
  return frame(
    1200,
    630,
    48,
    'linear-gradient(120deg, #1e1b4b 0%, #5b21b6 60%, #be185d 100%)',
    { gap: 48 },
    box(
      { flexDirection: 'column', width: 470, gap: 18 },
      text(`${report.year} WRAPPED`, { fontSize: 28, fontWeight: 800, color: COLORS.accent, letterSpacing: 4 }),
      text(formatNumber(report.totals.minutes), { fontSize: 96, fontWeight: 800, color: COLORS.ink, lineHeight: 1 }),
      text('minutes listened', { fontSize: 26, color: COLORS.dim }),
      topArtist
        ? text(`Top artist: ${fit(topArtist.name, 24)}`, { fontSize: 30, fontWeight: 700, color: COLORS.ink, marginTop: 12 })
        : box({}),
      box(
        { marginTop: 'auto', justifyContent: 'space-between' },
        stat(formatNumber(report.totals.plays), 'plays', 0.6),
        stat(formatNumber(report.totals.distinct_artists), noun(report.totals.distinct_artists, 'artist'), 0.6),
        stat(report.longest_streak ? `${report.longest_streak.days}d` : '–', 'longest streak', 0.6),
      ),
    ),
    box(
      { flexDirection: 'column', flexGrow: 1, gap: 28 },
      ranked(
        'Top artists',
        report.top_artists.slice(0, 3).map((a) => ({ label: a.name, sub: formatNumber(a.plays), value: a.plays })),
        0.75,
        24,
      ),
      ranked(
        'Top tracks',
        report.top_tracks.slice(0, 3).map((t) => ({ label: t.name, sub: fit(t.artist, 18), value: t.plays })),
        0.75,
        24,
      ),
    ),
  );
}

/** Renders the shareable card as a PNG with real text and charts. */
export async function renderCard(report: WrappedReport, layout: CardLayout): Promise<Buffer> {
  const { width, height } = CARD_SIZES[layout];
  const tree = layout === 'story' ? story(report) : landscape(report);
  const svg = await satori(tree, { width, height, fonts: await cardFonts() });
  return new Resvg(svg, { fitTo: { mode: 'width', value: width }, font: { loadSystemFonts: false } }).render().asPng();
}
