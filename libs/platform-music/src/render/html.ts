import type { WrappedReport } from '../analytics/report.js';
import { counted } from '../wording.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const esc = (value: string | number) => String(value).replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
const num = (value: number) => esc(Math.round(value).toLocaleString('en-US'));
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

function table(title: string, headers: string[], rows: (string | number)[][]): string {
  const head = headers.map((h) => `<th>${esc(h)}</th>`).join('');
  const body = rows.map((row) => `<tr>${row.map((cell) => `<td>${esc(cell)}</td>`).join('')}</tr>`).join('');
  return `<section><h2>${esc(title)}</h2><table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></section>`;
}

function bars(title: string, labels: string[], values: number[]): string {
  const top = Math.max(1, ...values);
  const items = values
    .map(
      (value, i) =>
        `<div class="bar" title="${esc(labels[i] ?? '')}: ${num(value)}"><span style="height:${((value / top) * 100).toFixed(1)}%"></span><small>${esc(labels[i] ?? '')}</small></div>`,
    )
    .join('');
  return `<section><h2>${esc(title)}</h2><div class="bars">${items}</div></section>`;
}

/** A self-contained HTML page of the whole report (no scripts, no external resources). */
export function renderHtml(report: WrappedReport): string {
  const months = new Array<number>(12).fill(0);
  for (const month of report.months) months[month.month - 1] = month.plays;
  const facts = [
    ['Plays', num(report.totals.plays)],
    ['Minutes', num(report.totals.minutes)],
    ['Artists', num(report.totals.distinct_artists)],
    ['Tracks', num(report.totals.distinct_tracks)],
    ['Albums', num(report.totals.distinct_albums)],
    ['Longest streak', report.longest_streak ? esc(counted(report.longest_streak.days, 'day')) : '–'],
    ['Busiest day', report.busiest_day ? `${esc(report.busiest_day.date)} (${esc(counted(report.busiest_day.plays, 'play'))})` : '–'],
    ['Top artist share', `${(report.top_artist_share * 100).toFixed(1)}%`],
    ['New artists', report.new_artists ? num(report.new_artists.count) : 'no earlier history'],
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(report.year)} in music</title>
<style>
body{font-family:system-ui,sans-serif;margin:0;background:#1e1b4b;color:#f5f3ff}
main{max-width:860px;margin:auto;padding:32px}
h1{font-size:48px;margin:0 0 8px;color:#facc15}h2{color:#facc15;font-size:18px;text-transform:uppercase;letter-spacing:2px}
.facts{display:grid;grid-template-columns:repeat(auto-fill,minmax(180px,1fr));gap:12px}
.fact{background:#312e81;border-radius:12px;padding:12px}.fact b{display:block;font-size:24px}
table{width:100%;border-collapse:collapse}td,th{text-align:left;padding:6px;border-bottom:1px solid #4c1d95}
.bars{display:flex;gap:6px;align-items:flex-end;height:160px}.bar{flex:1;display:flex;flex-direction:column;justify-content:flex-end;height:100%;text-align:center}
.bar span{display:block;background:#a78bfa;border-radius:4px 4px 0 0}.bar small{color:#c4b5fd}
footer{color:#c4b5fd;font-size:13px;margin-top:32px}
</style></head><body><main>
<h1>${esc(report.year)} in music</h1>
<p>${esc(counted(report.totals.minutes, 'minute'))}, ${esc(counted(report.totals.plays, 'play'))} from ${esc(report.services.join(', '))}.</p>
<section class="facts">${facts.map(([label, value]) => `<div class="fact">${esc(label ?? '')}<b>${value ?? ''}</b></div>`).join('')}</section>
${table(
  'Top artists',
  ['#', 'Artist', 'Plays', 'Minutes'],
  report.top_artists.map((a, i) => [i + 1, a.name, a.plays, a.minutes]),
)}
${table(
  'Top tracks',
  ['#', 'Track', 'Artist', 'Plays', 'Minutes'],
  report.top_tracks.map((t, i) => [i + 1, t.name, t.artist, t.plays, t.minutes]),
)}
${table(
  'Top albums',
  ['#', 'Album', 'Artist', 'Plays', 'Minutes'],
  report.top_albums.map((t, i) => [i + 1, t.name, t.artist, t.plays, t.minutes]),
)}
${table(
  'Month by month',
  ['Month', 'Plays', 'Minutes', 'Top artist', 'Top track'],
  report.months.map((m) => [
    MONTHS[m.month - 1] ?? '',
    m.plays,
    m.minutes,
    m.top_artist?.name ?? '',
    m.top_track ? `${m.top_track.name} – ${m.top_track.artist}` : '',
  ]),
)}
${bars('Plays by month', MONTHS, months)}
${bars(
  'Plays by hour of day',
  Array.from({ length: 24 }, (_, h) => String(h)),
  report.by_hour,
)}
${bars('Plays by weekday', WEEKDAYS, report.by_weekday)}
${
  report.new_artists
    ? table(
        'New this year',
        ['Artist', 'Plays'],
        report.new_artists.top.map((a) => [a.name, a.plays]),
      )
    : ''
}
<footer>Times in ${esc(report.time_zone)}. Plays under 30 seconds are not counted${report.totals.plays_without_duration > 0 ? `; no minutes are counted for ${esc(counted(report.totals.plays_without_duration, 'play'))} of unknown length` : ''}${report.totals.plays_with_approximate_time > 0 ? `; hours, weekdays, streaks and the busiest day leave out ${esc(counted(report.totals.plays_with_approximate_time, 'play'))} with only an approximate time (Apple Music recent plays)` : ''}. Generated ${esc(report.generated_at)}.</footer>
</main></body></html>
`;
}
