import { spawnSync } from 'node:child_process';
import { startFakeHttpServer, type FakeHttpServer } from '@platform/testing';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parquetWriteBuffer } from 'hyparquet-writer';

export const KAZAKH = [
  'Қазақстан — Орталық Азиядағы мемлекет, астанасы Астана қаласы.',
  'Қазақ тілі түркі тілдерінің қыпшақ тобына жатады.',
  'Алматы қаласы елдің ең ірі қаласы болып табылады.',
  'Абай Құнанбайұлы қазақтың ұлы ақыны әрі ойшылы болған.',
  'Бүгін ауа райы өте жақсы, күн ашық және жылы.',
];
export const ENGLISH = 'This sentence is written in English and must be rejected by the language filter.';

/** A two-article MediaWiki export with markup, a talk page and a redirect, compressed with bzip2. */
export function wikipediaDump(): Buffer {
  const article = (title: string, ns: number, text: string) =>
    `<page><title>${title}</title><ns>${ns}</ns><id>1</id><revision><id>2</id><text xml:space="preserve">${text}</text></revision></page>`;
  const xml = [
    '<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" xml:lang="kk"><siteinfo><sitename>Уикипедия</sitename></siteinfo>',
    article(
      'Қазақстан',
      0,
      `{{Мемлекет|атауы=Қазақстан}}\n'''Қазақстан''' — [[Орталық Азия]]дағы мемлекет, астанасы [[Астана]] қаласы. ${KAZAKH[1] ?? ''}\n\n== Тарихы ==\n${ENGLISH} ${KAZAKH[1] ?? ''}`,
    ),
    article('Талқылау:Қазақстан', 1, 'Бұл талқылау беті, оны алып тастау керек. Бұл сөйлем корпусқа кірмеуі керек.'),
    article('ҚР', 0, '#REDIRECT [[Қазақстан]]'),
    article('Алматы', 0, `${KAZAKH[2] ?? ''} ${KAZAKH[3] ?? ''}\n\n${KAZAKH[4] ?? ''} &lt;ref&gt;дереккөз&lt;/ref&gt;`),
    '</mediawiki>',
  ].join('\n');
  const result = spawnSync('bzip2', ['-c'], { input: xml });
  if (result.status !== 0) throw new Error(`bzip2 failed: ${result.stderr.toString()}`);
  return result.stdout;
}

/** A parquet shard with a `text` column of documents (several sentences each) in two row groups. */
export function parquetShard(): Buffer {
  const documents = [`${KAZAKH[0] ?? ''} ${KAZAKH[1] ?? ''}`, ENGLISH, `${KAZAKH[2] ?? ''}\n${KAZAKH[3] ?? ''}`, KAZAKH[4] ?? ''];
  const buffer = parquetWriteBuffer({
    columnData: [
      { name: 'id', data: documents.map((_, index) => index), type: 'INT32' },
      { name: 'text', data: documents, type: 'STRING' },
    ],
    rowGroupSize: 2,
  });
  return Buffer.from(buffer);
}

type Handler = (request: IncomingMessage, response: ServerResponse, base: string) => void;

/** A local HTTP server with a route table; files are served with HEAD and single byte ranges. */
export async function startServer(routes: Record<string, Handler>): Promise<FakeHttpServer> {
  let base = '';
  const server = await startFakeHttpServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const handler = routes[path];
    if (!handler) {
      response.writeHead(404).end('not found');
      return;
    }
    handler(request, response, base);
  });
  base = server.url;
  return server;
}

export function serveBytes(bytes: Buffer, contentType: string): Handler {
  return (request, response) => {
    const range = /^bytes=(\d+)-(\d*)$/.exec(request.headers.range ?? '');
    if (range) {
      const start = Number(range[1]);
      const end = range[2] ? Math.min(Number(range[2]), bytes.length - 1) : bytes.length - 1;
      response.writeHead(206, {
        'content-type': contentType,
        'content-length': end - start + 1,
        'content-range': `bytes ${start}-${end}/${bytes.length}`,
        'accept-ranges': 'bytes',
      });
      response.end(request.method === 'HEAD' ? undefined : bytes.subarray(start, end + 1));
      return;
    }
    response.writeHead(200, { 'content-type': contentType, 'content-length': bytes.length, 'accept-ranges': 'bytes' });
    response.end(request.method === 'HEAD' ? undefined : bytes);
  };
}
