/**
 * Transliteration throughput (MB/s of Kazakh Cyrillic) and detection throughput (sentences/s) of
 * turkic-api's engine and detector, against Python's ICU transliterator (python3-icu: Any-Latin and a
 * custom Kazakh rule set generated from the same table) and native fastText (python3-fasttext) with
 * the same lid.176.ftz model, measured in the same run on the same input.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Detector } from '../../services/turkic-api/src/services/detector.js';
import { parseTable } from '../../services/turkic-api/src/transliteration/format.js';
import { Catalog, RULES_DIR } from '../../services/turkic-api/src/transliteration/catalog.js';
import { printTable, type BenchRow } from '../lib/report.js';

const MIN_SECONDS = Number(process.env.BENCH_MIN_SECONDS ?? '2');
const PYTHON = process.env.BENCH_PYTHON ?? '/usr/bin/python3';

const KAZAKH = [
  'Қазақстан — Орталық Азиядағы мемлекет, астанасы Астана қаласы.',
  'Қазақ тілі түркі тілдерінің қыпшақ тобына жатады.',
  'Алматы қаласы елдің ең ірі қаласы болып табылады.',
  'Абай Құнанбайұлы қазақтың ұлы ақыны әрі ойшылы болған.',
  'Бүгін ауа райы өте жақсы, күн ашық және жылы.',
  'Мен кітап оқып жатырмын, ал інім мектепке барды.',
];
const OTHERS = [
  'Кыргызстан — Борбордук Азиядагы мамлекет, борбору Бишкек шаары.',
  'Oʻzbekiston Respublikasi Markaziy Osiyoning markaziy qismida joylashgan davlat.',
  'Türkiye, topraklarının büyük bölümü Anadolu yarımadasında bulunan bir ülkedir.',
  'Azərbaycan Respublikası Cənubi Qafqazda yerləşən dövlətdir.',
  'ئۇيغۇر تىلى تۈركىي تىللار ئائىلىسىگە مەنسۇپ بىر تىل.',
  'Suomi on valtio Pohjois-Euroopassa, ja sen pääkaupunki on Helsinki.',
];

function rate(work: () => void, units: number): number {
  work(); // warm-up (JIT)
  let runs = 0;
  const start = performance.now();
  for (;;) {
    work();
    runs += 1;
    const seconds = (performance.now() - start) / 1000;
    if (seconds >= MIN_SECONDS && runs >= 3) return (units * runs) / seconds;
  }
}

async function rateAsync(work: () => Promise<void>, units: number): Promise<number> {
  await work();
  let runs = 0;
  const start = performance.now();
  for (;;) {
    await work();
    runs += 1;
    const seconds = (performance.now() - start) / 1000;
    if (seconds >= MIN_SECONDS && runs >= 3) return (units * runs) / seconds;
  }
}

/** The kk-cyrl-latin table as ICU rules: each context-free rule in lower and title case. */
function icuRules(): string {
  const spec = parseTable('kk-cyrl-latin', readFileSync(join(RULES_DIR.pathname, 'kk-cyrl-latin.rules'), 'utf8'));
  const escape = (text: string) => (text === '' ? "''" : `'${text.replaceAll("'", "''")}'`);
  return spec.rules
    .filter((rule) => rule.left.length === 0 && rule.right.length === 0)
    .flatMap((rule) => {
      const title = rule.output.charAt(0).toLocaleUpperCase('tr') + rule.output.slice(1);
      return [`${escape(rule.source)} > ${escape(rule.output)} ;`, `${escape(rule.source.toUpperCase())} > ${escape(title)} ;`];
    })
    .join('\n');
}

const catalog = Catalog.load();
const latin = catalog.conversion('kk', 'latin');
const ipa = catalog.conversion('kk', 'ipa');
if (!latin || !ipa) throw new Error('kk conversions missing');
const latinTable = latin.tables[0];
const ipaTable = ipa.tables[0];
if (!latinTable || !ipaTable) throw new Error('kk tables missing');

const lines: string[] = [];
for (let index = 0; Buffer.byteLength(lines.join('\n')) < 1_000_000; index++)
  lines.push(`${index}. ${KAZAKH[index % KAZAKH.length] ?? ''}`);
const text = lines.join('\n');
const megabytes = Buffer.byteLength(text) / 1e6;
const sentences = Array.from({ length: 2000 }, (_, index) => [...KAZAKH, ...OTHERS][index % 12] ?? '');

const dir = mkdtempSync(join(tmpdir(), 'bench-turkic-'));
try {
  const model = join(
    dirname(
      createRequire(import.meta.url).resolve('fasttext.wasm.js', {
        paths: [fileURLToPath(new URL('../../services/turkic-api/', import.meta.url))],
      }),
    ),
    '..',
    'models',
    'language-identification',
    'assets',
    'lid.176.ftz',
  );
  writeFileSync(join(dir, 'text.txt'), text);
  writeFileSync(join(dir, 'kk.rules'), icuRules());
  writeFileSync(join(dir, 'sentences.txt'), sentences.join('\n'));
  process.stdout.write(
    `input: ${megabytes.toFixed(2)} MB of Kazakh Cyrillic, ${sentences.length} sentences in 12 languages; min ${MIN_SECONDS} s per measure\n`,
  );

  const peer = JSON.parse(
    execFileSync(
      PYTHON,
      [
        fileURLToPath(new URL('peer.py', import.meta.url)),
        join(dir, 'text.txt'),
        join(dir, 'kk.rules'),
        join(dir, 'sentences.txt'),
        model,
        String(MIN_SECONDS),
      ],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    ),
  ) as { icu_any_latin_mbps: number; icu_custom_kk_mbps: number; fasttext_sentences_per_s: number; sample: string };
  const ours = latinTable.apply(text.slice(0, 80));
  if (ours !== peer.sample) process.stdout.write(`note: outputs differ on the sample\n  ours: ${ours}\n  icu:  ${peer.sample}\n`);

  const detector = new Detector();
  await detector.load();
  const rows: BenchRow[] = [
    {
      case: 'kk Cyrl→Latn (2021 table)',
      subject: 'turkic-api',
      value: rate(() => latinTable.apply(text), megabytes),
      unit: 'MB/s',
      extra: { engine: 'TS rule engine' },
    },
    {
      case: 'kk Cyrl→Latn (2021 table)',
      subject: 'python',
      value: peer.icu_custom_kk_mbps,
      unit: 'MB/s',
      extra: { engine: 'ICU custom rules' },
    },
    {
      case: 'Cyrl→Latn generic',
      subject: 'turkic-api',
      value: rate(() => latinTable.apply(text), megabytes),
      unit: 'MB/s',
      extra: { engine: 'TS rule engine' },
    },
    { case: 'Cyrl→Latn generic', subject: 'python', value: peer.icu_any_latin_mbps, unit: 'MB/s', extra: { engine: 'ICU Any-Latin' } },
    {
      case: 'kk Cyrl→IPA (context rules)',
      subject: 'turkic-api',
      value: rate(() => ipaTable.apply(text), megabytes),
      unit: 'MB/s',
      extra: { engine: 'TS rule engine' },
    },
    {
      case: 'kk Cyrl→IPA (context rules)',
      subject: 'python',
      value: peer.icu_custom_kk_mbps,
      unit: 'MB/s',
      extra: { engine: 'ICU custom rules (no contexts)' },
    },
    {
      case: 'language detection',
      subject: 'turkic-api',
      value: await rateAsync(async () => {
        for (const sentence of sentences) await detector.candidates(sentence, 1);
      }, sentences.length),
      unit: 'sentences/s',
      extra: { engine: 'fastText wasm, lid.176.ftz' },
    },
    {
      case: 'language detection',
      subject: 'python',
      value: peer.fasttext_sentences_per_s,
      unit: 'sentences/s',
      extra: { engine: 'fastText native, lid.176.ftz' },
    },
  ];
  printTable('turkic: transliteration and detection throughput (higher is better)', rows, 'python');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
