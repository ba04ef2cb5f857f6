import { quoted, type GuardedFetcher, type Logger } from '@platform/core';
import { UserError } from '@platform/workers';
import { asyncBufferFromUrl, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { SaxesParser } from 'saxes';
import bz2 from 'unbzip2-stream';
import wtf from 'wtf_wikipedia';
import { z } from 'zod';
import type { CorpusRequest } from '../models/corpus.js';
import type { DataBank } from '../services/data-bank.js';
import { asUserError, fetchSource } from './fetch.js';
import { decodeText, splitLines } from './text-stream.js';

/** Bounds on what a source may feed the pipeline; going past one fails the job as the user's. */
interface SourceLimits {
  /** Bytes a url or data_bank source may decompress to. */
  maxInflatedBytes: number;
  /** Characters of one line of a text or jsonl source. */
  maxLineChars: number;
  /** Characters of one document: a MediaWiki page's text (or any XML text node), a parquet row's field. */
  maxDocumentChars: number;
}

export interface SourceDeps {
  wikipediaDumpsUrl: string;
  hfEndpoint: string;
  hfToken?: string | undefined;
  dataBank: DataBank;
  logger: Logger;
  /** Fetches the url source, the one whose target a user chooses. */
  urlFetcher: GuardedFetcher;
  limits: SourceLimits;
}

/** Documents (paragraph-sized or larger pieces of text) of a corpus source, in order. */
export type DocumentStream = AsyncGenerator<string>;

function webToNode(body: ReadableStream<Uint8Array> | null): Readable {
  if (!body) throw new Error('the source answered without a body');
  return Readable.fromWeb(body);
}

const tooLong = (maxDocumentChars: number) =>
  new UserError(`a document of the source is longer than ${maxDocumentChars} characters (TURKIC_MAX_DOCUMENT_CHARS)`);

/**
 * Articles (namespace 0, not redirects) of a MediaWiki XML export, as plain text without markup. The
 * parser buffers a text node until it ends, so more than `maxDocumentChars` read with no event between
 * fails the job instead of growing that buffer without bound.
 */
export async function* wikipediaArticles(chunks: AsyncIterable<string>, maxDocumentChars: number): DocumentStream {
  const parser = new SaxesParser();
  const ready: string[] = [];
  let path: string[] = [];
  let namespace = '';
  let text = '';
  let lastEventAt = 0;
  const sawEvent = () => {
    lastEventAt = parser.position;
  };
  parser.on('opentag', (tag) => {
    sawEvent();
    path.push(tag.name);
    if (tag.name === 'page') namespace = '';
    if (tag.name === 'text') text = '';
  });
  parser.on('text', (value) => {
    sawEvent();
    const current = path.at(-1);
    if (current === 'ns') namespace += value;
    else if (current === 'text') text += value;
    if (text.length > maxDocumentChars) throw tooLong(maxDocumentChars);
  });
  parser.on('closetag', (tag) => {
    sawEvent();
    path.pop();
    if (tag.name !== 'text' || (namespace.trim() !== '0' && namespace !== '')) return;
    const document = wtf(text);
    if (document.isRedirect()) return;
    const plain = document.text();
    if (plain.trim() !== '') ready.push(plain);
  });
  for await (const chunk of chunks) {
    parser.write(chunk);
    if (parser.position - lastEventAt > maxDocumentChars) throw tooLong(maxDocumentChars);
    yield* ready.splice(0);
  }
  parser.close();
  path = [];
  yield* ready.splice(0);
}

function wikipediaDumpUrl(base: string, language: string): string {
  const wiki = `${language}wiki`;
  return `${base.replace(/\/+$/, '')}/${wiki}/latest/${wiki}-latest-pages-articles.xml.bz2`;
}

const ParquetFiles = z.array(z.url());
const HUB = 'the Hugging Face Hub';

/** Rows of a Hugging Face dataset, read from the parquet shards the Hub lists for a config and split. */
async function* huggingfaceRows(request: CorpusRequest, deps: SourceDeps, signal: AbortSignal): DocumentStream {
  const dataset = request.dataset ?? '';
  const config = request.config ?? request.language;
  const headers: Record<string, string> = deps.hfToken ? { authorization: `Bearer ${deps.hfToken}` } : {};
  const listUrl = `${deps.hfEndpoint.replace(/\/+$/, '')}/api/datasets/${dataset}/parquet/${encodeURIComponent(config)}/${encodeURIComponent(request.split)}`;
  const listed = ParquetFiles.safeParse(await (await fetchSource(listUrl, signal, { label: HUB, headers })).json());
  if (!listed.success) throw new Error(`${HUB} did not answer a list of parquet files`);
  if (listed.data.length === 0)
    throw new UserError(`dataset ${quoted(dataset)} has no parquet files for ${quoted(config)}/${quoted(request.split)}`);
  for (const url of listed.data) yield* parquetRows(url, request.field, { headers, signal }, deps.limits.maxDocumentChars);
}

/** The `field` of every row of one parquet shard, read one row group at a time over range requests. */
async function* parquetRows(url: string, field: string, requestInit: RequestInit, maxDocumentChars: number): DocumentStream {
  const unreadable = (error: unknown) => new Error('could not read a parquet shard of the dataset', { cause: error });
  const file = await asyncBufferFromUrl({ url, requestInit }).catch((error: unknown) => {
    throw unreadable(error);
  });
  const metadata = await parquetMetadataAsync(file).catch((error: unknown) => {
    throw unreadable(error);
  });
  if (!metadata.schema.some((element) => element.name === field)) throw new UserError(`the dataset has no column ${quoted(field)}`);
  // One row group at a time keeps memory bounded by the shard's row-group size.
  let rowStart = 0;
  for (const group of metadata.row_groups) {
    const rowEnd = rowStart + Number(group.num_rows);
    const rows = await parquetReadObjects({ file, metadata, columns: [field], rowStart, rowEnd, compressors }).catch((error: unknown) => {
      throw unreadable(error);
    });
    for (const row of rows) {
      const value: unknown = row[field];
      if (typeof value !== 'string') continue;
      if (value.length > maxDocumentChars) throw tooLong(maxDocumentChars);
      yield value;
    }
    rowStart = rowEnd;
  }
}

/** Lines of a text source; jsonl lines give their `field`. */
async function* textLines(chunks: AsyncIterable<string>, jsonl: boolean, field: string, maxLineChars: number): DocumentStream {
  for await (const line of splitLines(chunks, maxLineChars)) {
    if (!jsonl) {
      yield line;
      continue;
    }
    if (line.trim() === '') continue;
    let document: unknown;
    try {
      document = JSON.parse(line);
    } catch {
      throw new UserError(`a jsonl line is not valid JSON: ${quoted(line)}`);
    }
    // A line that is not an object (an array, a number) has no field: skipped like one without it.
    const value: unknown = typeof document === 'object' && document !== null ? Reflect.get(document, field) : undefined;
    if (typeof value === 'string') yield value;
  }
}

/** A url source: text, jsonl or MediaWiki XML by the path's extension, gzip or bzip2 by its last one. */
async function* urlDocuments(request: CorpusRequest, deps: SourceDeps, signal: AbortSignal): DocumentStream {
  const url = request.url ?? '';
  const path = new URL(url).pathname.toLowerCase();
  const { limits } = deps;
  try {
    const body = (await deps.urlFetcher.fetch(url, { signal, requireOk: true })).body;
    const decompressor = path.endsWith('.gz') ? createGunzip() : path.endsWith('.bz2') ? bz2() : undefined;
    const chunks = decodeText(body, { decompressor, maxBytes: limits.maxInflatedBytes });
    if (path.endsWith('.xml.bz2') || path.endsWith('.xml')) {
      yield* wikipediaArticles(chunks, limits.maxDocumentChars);
      return;
    }
    yield* textLines(chunks, /\.jsonl(\.gz|\.bz2)?$/.test(path), request.field, limits.maxLineChars);
  } catch (error) {
    throw asUserError(error, deps.logger);
  }
}

/** The operator's dump server is trusted with its size: no inflated-size bound (dumps run to gigabytes). */
async function* wikipediaDocuments(request: CorpusRequest, deps: SourceDeps, signal: AbortSignal): DocumentStream {
  const url = wikipediaDumpUrl(deps.wikipediaDumpsUrl, request.language);
  deps.logger.info({ url }, 'streaming wikipedia dump');
  const response = await fetchSource(url, signal, { label: 'the Wikipedia dump server' });
  yield* wikipediaArticles(decodeText(webToNode(response.body), { decompressor: bz2() }), deps.limits.maxDocumentChars);
}

async function* dataBankDocuments(request: CorpusRequest, deps: SourceDeps): DocumentStream {
  const fileId = request.file_id ?? '';
  if (!(await deps.dataBank.head(fileId))) throw new UserError(`data-bank has no file ${fileId}`);
  const chunks = decodeText(webToNode(await deps.dataBank.stream(fileId)), { maxBytes: deps.limits.maxInflatedBytes });
  yield* textLines(chunks, false, request.field, deps.limits.maxLineChars);
}

export function openSource(request: CorpusRequest, deps: SourceDeps, signal: AbortSignal): DocumentStream {
  switch (request.source) {
    case 'wikipedia':
      return wikipediaDocuments(request, deps, signal);
    case 'huggingface':
      return huggingfaceRows(request, deps, signal);
    case 'url':
      return urlDocuments(request, deps, signal);
    case 'data_bank':
      return dataBankDocuments(request, deps);
  }
}
