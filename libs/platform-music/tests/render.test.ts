import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CARD_SIZES, createCardRenderer, renderCard, renderHtml, wrapped, type PlayRecord, type WrappedReport } from '../src/index.js';

const ARTISTS = [
  'Beyoncé',
  'Sigur Rós',
  '<script>alert(1)</script>',
  'Kendrick Lamar',
  'Björk',
  'A Very Long Artist Name That Goes On And On',
];
let report: WrappedReport;

beforeAll(async () => {
  const plays: PlayRecord[] = Array.from({ length: 500 }, (_, i) => ({
    service: 'spotify',
    played_at_ms: Date.parse('2023-01-01T08:00:00Z') + i * 55_000_000,
    track: `Track ${(i * 7) % 23}`,
    artists: [ARTISTS[(i % 11) % ARTISTS.length] ?? ''],
    album: 'Album',
    ms_played: 200_000,
    ids: {},
  }));
  report = await wrapped(plays, { year: 2023, timeZone: 'Europe/Paris', now: new Date('2024-01-01T00:00:00Z') });
});

describe('createCardRenderer', () => {
  it('draws the same card on a worker thread while the event loop keeps answering', async () => {
    const renderer = createCardRenderer({ maxThreads: 2 });
    try {
      await renderer.render(report, 'landscape'); // the thread starts and loads its fonts
      let ticks = 0;
      let longestGapMs = 0;
      let last = performance.now();
      const timer = setInterval(() => {
        const now = performance.now();
        longestGapMs = Math.max(longestGapMs, now - last);
        last = now;
        ticks++;
      }, 5);
      const started = performance.now();
      const [story, landscape] = await Promise.all([renderer.render(report, 'story'), renderer.render(report, 'landscape')]);
      const elapsedMs = performance.now() - started;
      clearInterval(timer);
      expect(story.equals(await renderCard(report, 'story'))).toBe(true);
      expect(PNG.sync.read(landscape).width).toBe(CARD_SIZES.landscape.width);
      // Rendering here would hold the loop for the whole render; on the pool it ticks throughout.
      expect(ticks).toBeGreaterThan(elapsedMs / 5 / 4);
      expect(longestGapMs).toBeLessThan(Math.max(60, elapsedMs / 3));
    } finally {
      await renderer.close();
    }
  });
});

describe('renderCard', () => {
  it.each(['story', 'landscape'] as const)('renders a %s PNG of the right size with real content', async (layout) => {
    const png = await renderCard(report, layout);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.length).toBeGreaterThan(30_000);
    expect(png.length).toBeLessThan(3_000_000);
    const image = PNG.sync.read(png);
    expect({ width: image.width, height: image.height }).toEqual(CARD_SIZES[layout]);
    // Text and charts, not a flat fill: many distinct colours, and bright text pixels on the dark background.
    const colours = new Set<number>();
    let bright = 0;
    for (let at = 0; at < image.data.length; at += 4 * 7) {
      const [r = 0, g = 0, b = 0] = image.data.subarray(at, at + 3);
      colours.add((r << 16) | (g << 8) | b);
      if (r > 230 && g > 230 && b > 230) bright++;
    }
    expect(colours.size).toBeGreaterThan(500);
    expect(bright).toBeGreaterThan(1000);
  });
});

describe('renderHtml', () => {
  it('renders every section and escapes names', () => {
    const html = renderHtml(report);
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('2023 in music');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>');
    for (const section of ['Top artists', 'Top tracks', 'Top albums', 'Month by month', 'Plays by hour of day', 'Plays by weekday']) {
      expect(html).toContain(`<h2>${section}</h2>`);
    }
    expect(html).toContain('Times in Europe/Paris');
  });
});

describe('the wording of counts', () => {
  it('says 1 day, 1 play and 1 artist, never "1 days"', async () => {
    // One artist, a play every other day: a 1-day streak and busiest days of 1 play; one play has no
    // known length, one only an approximate time.
    const plays: PlayRecord[] = Array.from({ length: 12 }, (_, i) => ({
      service: 'spotify',
      played_at_ms: Date.parse('2023-03-01T12:00:00Z') + i * 2 * 86_400_000,
      ...(i === 0 && { played_at_approximate: true }),
      track: `Track ${i}`,
      artists: ['Björk'],
      ...(i !== 1 && { ms_played: 200_000 }),
      ids: {},
    }));
    const sparse = await wrapped(plays, { year: 2023, timeZone: 'UTC', now: new Date('2024-01-01T00:00:00Z') });
    const html = renderHtml(sparse);
    expect(html).toContain('<b>1 day</b>');
    expect(html).toMatch(/\(1 play\)/);
    expect(html).toContain('no minutes are counted for 1 play of unknown length');
    expect(html).toContain('leave out 1 play with only an approximate time');
    expect(html).not.toMatch(/\b1 (days|plays|minutes|artists)\b/);
  });

  it('says "only 1 play" when a year has too few for a report', async () => {
    const one: PlayRecord = {
      service: 'spotify',
      played_at_ms: Date.parse('2023-03-01T12:00:00Z'),
      track: 'Track',
      artists: ['Björk'],
      ms_played: 200_000,
      ids: {},
    };
    await expect(wrapped([one], { year: 2023, timeZone: 'UTC' })).rejects.toThrow(/^only 1 play in 2023;/);
  });
});
