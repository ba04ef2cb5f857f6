import type { Logger } from '@platform/core';
import { UserError } from '@platform/workers';
import { asyncBufferFromUrl, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { PassThrough, Readable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { SaxesParser } from 'saxes';
import bz2 from 'unbzip2-stream';
import wtf from 'wtf_wikipedia';
import { z } from 'zod';
import type { CorpusRequest } from '../models/corpus.js';
import type { DataBank } from '../services/data-bank.js';
import { fetchSource } from './fetch.js';

export interface SourceDeps {
  wikipediaDumpsUrl: string;
  hfEndpoint: string;
  hfToken?: string | undefined;
  dataBank: DataBank;
  logger: Logger;
}

/** Documents (paragraph-sized or larger pieces of text) of a corpus source, in order. */
export type DocumentStream = AsyncGenerator<string>;

/** Decompresses and decodes a byte stream, yielding text chunks. */
async function* decode(body: Readable, decompressor?: Transform | NodeJS.ReadWriteStream): AsyncGenerator<string> {
  const out = new PassThrough();
  const done = decompressor ? pipeline(body, decompressor, out) : pipeline(body, out);
  // A failure is raised by the for-await below (the pipeline destroys `out` with it).
  done.catch(() => undefined);
  const decoder = new TextDecoder('utf-8');
  try {
    for await (const chunk of out) yield decoder.decode(chunk as Buffer, { stream: true });
  } finally {
    body.destroy();
  }
  yield decoder.decode();
}

/** Splits text chunks into lines. */
async function* lines(chunks: AsyncIterable<string>): AsyncGenerator<string> {
  let rest = '';
  for await (const chunk of chunks) {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop() ?? '';
    yield* parts;
  }
  if (rest !== '') yield rest;
}

function webToNode(body: ReadableStream<Uint8Array> | null): Readable {
  if (!body) throw new Error('the source answered without a body');
  return Readable.fromWeb(body);
}

/** Articles (namespace 0, not redirects) of a MediaWiki XML export, as plain text without markup. */
export async function* wikipediaArticles(chunks: AsyncIterable<string>): DocumentStream {
  const parser = new SaxesParser();
  const ready: string[] = [];
  let path: string[] = [];
  let namespace = '';
  let text = '';
  parser.on('opentag', (tag) => {
    path.push(tag.name);
    if (tag.name === 'page') namespace = '';
    if (tag.name === 'text') text = '';
  });
  parser.on('text', (value) => {
    const current = path.at(-1);
    if (current === 'ns') namespace += value;
    else if (current === 'text') text += value;
  });
  parser.on('closetag', (tag) => {
    path.pop();
    if (tag.name !== 'text' || (namespace.trim() !== '0' && namespace !== '')) return;
    const document = wtf(text);
    if (document.isRedirect()) return;
    const plain = document.text();
    if (plain.trim() !== '') ready.push(plain);
  });
  for await (const chunk of chunks) {
    parser.write(chunk);
    yield* ready.splice(0);
  }
  parser.close();
  path = [];
  yield* ready.splice(0);
}

export function wikipediaDumpUrl(base: string, language: string): string {
  const wiki = `${language}wiki`;
  return `${base.replace(/\/+$/, '')}/${wiki}/latest/${wiki}-latest-pages-articles.xml.bz2`;
}

const ParquetFiles = z.array(z.url());

/** Rows of a Hugging Face dataset, read from the parquet shards the Hub lists for a config and split. */
async function* huggingfaceRows(request: CorpusRequest, deps: SourceDeps, signal: AbortSignal): DocumentStream {
  const dataset = request.dataset ?? '';
  const config = request.config ?? request.language;
  const headers: Record<string, string> = deps.hfToken ? { authorization: `Bearer ${deps.hfToken}` } : {};
  const listUrl = `${deps.hfEndpoint.replace(/\/+$/, '')}/api/datasets/${dataset}/parquet/${encodeURIComponent(config)}/${encodeURIComponent(request.split)}`;
  const listed = ParquetFiles.safeParse(await (await fetchSource(listUrl, signal, headers)).json());
  if (!listed.success) throw new Error(`${listUrl} did not answer a list of parquet URLs`);
  if (listed.data.length === 0) throw new UserError(`dataset ${dataset} has no parquet files for ${config}/${request.split}`);
  for (const url of listed.data) {
    const file = await asyncBufferFromUrl({ url, requestInit: { headers, signal } });
    const metadata = await parquetMetadataAsync(file);
    if (!metadata.schema.some((element) => element.name === request.field)) {
      throw new UserError(`${url} has no column "${request.field}"`);
    }
    // One row group at a time keeps memory bounded by the shard's row-group size.
    let rowStart = 0;
    for (const group of metadata.row_groups) {
      const rowEnd = rowStart + Number(group.num_rows);
      const rows = await parquetReadObjects({ file, metadata, columns: [request.field], rowStart, rowEnd, compressors });
      for (const row of rows) {
        const value = (row as Record<string, unknown>)[request.field];
        if (typeof value === 'string') yield value;
      }
      rowStart = rowEnd;
    }
  }
}

/** Lines of a text source; jsonl lines give their `field`. */
async function* textLines(chunks: AsyncIterable<string>, jsonl: boolean, field: string): DocumentStream {
  for await (const line of lines(chunks)) {
    if (!jsonl) {
      yield line;
      continue;
    }
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = (JSON.parse(line) as Record<string, unknown>)[field];
    } catch {
      throw new UserError(`a jsonl line is not valid JSON: ${line.slice(0, 80)}`);
    }
    if (typeof value === 'string') yield value;
  }
}

async function* urlDocuments(request: CorpusRequest, signal: AbortSignal): DocumentStream {
  const url = request.url ?? '';
  const path = new URL(url).pathname.toLowerCase();
  const body = webToNode((await fetchSource(url, signal)).body);
  const decompressor = path.endsWith('.gz') ? createGunzip() : path.endsWith('.bz2') ? bz2() : undefined;
  const chunks = decode(body, decompressor);
  if (path.endsWith('.xml.bz2') || path.endsWith('.xml')) {
    yield* wikipediaArticles(chunks);
    return;
  }
  yield* textLines(chunks, /\.jsonl(\.gz|\.bz2)?$/.test(path), request.field);
}

async function* wikipediaDocuments(request: CorpusRequest, deps: SourceDeps, signal: AbortSignal): DocumentStream {
  const url = wikipediaDumpUrl(deps.wikipediaDumpsUrl, request.language);
  deps.logger.info({ url }, 'streaming wikipedia dump');
  yield* wikipediaArticles(decode(webToNode((await fetchSource(url, signal)).body), bz2()));
}

async function* dataBankDocuments(request: CorpusRequest, deps: SourceDeps): DocumentStream {
  const fileId = request.file_id ?? '';
  if (!(await deps.dataBank.head(fileId))) throw new UserError(`data-bank has no file ${fileId}`);
  yield* textLines(decode(webToNode(await deps.dataBank.stream(fileId))), false, request.field);
}

export function openSource(request: CorpusRequest, deps: SourceDeps, signal: AbortSignal): DocumentStream {
  switch (request.source) {
    case 'wikipedia':
      return wikipediaDocuments(request, deps, signal);
    case 'huggingface':
      return huggingfaceRows(request, deps, signal);
    case 'url':
      return urlDocuments(request, signal);
    case 'data_bank':
      return dataBankDocuments(request, deps);
  }
}
