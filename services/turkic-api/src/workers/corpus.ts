import { handleJob, UserError } from '@platform/workers';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPipeline } from '../corpus/pipeline.js';
import { openSource, type SourceDeps } from '../corpus/sources.js';
import { corpusJob, type CorpusJob } from '../jobs/corpus.js';
import type { CorpusCounts } from '../models/corpus.js';
import type { Detector } from '../services/detector.js';
import type { Catalog } from '../transliteration/catalog.js';

export interface CorpusHandlerDeps extends SourceDeps {
  catalog: Catalog;
  detector: Detector;
  workDir?: string | undefined;
  progressIntervalMs?: number;
}

const payload = (counts: CorpusCounts) => ({ seen: counts.seen, kept: counts.kept, rejected: { ...counts.rejected } });

/** Runs `corpus` jobs: reads the source, filters and converts sentences, stores the file in data-bank. */
export function corpusHandler(deps: CorpusHandlerDeps, definition: CorpusJob = corpusJob()) {
  return handleJob(definition, async (request, context) => {
    if (!deps.catalog.languages.includes(request.language)) throw new UserError(`unsupported language ${request.language}`);
    const conversion = request.transform === 'none' ? undefined : deps.catalog.conversion(request.language, request.transform);
    if (request.transform !== 'none' && !conversion) {
      throw new UserError(`no ${request.transform} conversion for ${request.language}`);
    }
    const dir = await mkdtemp(join(deps.workDir ?? tmpdir(), 'turkic-corpus-'));
    try {
      const outputPath = join(dir, 'corpus.txt');
      const { counts, bytes } = await runPipeline({
        request,
        documents: openSource(request, { ...deps, logger: context.logger }, context.signal),
        detector: deps.detector,
        conversion,
        outputPath,
        signal: context.signal,
        progressIntervalMs: deps.progressIntervalMs ?? 1000,
        onProgress: async (current) => {
          const pct = Math.floor((current.kept / request.max_sentences) * 100);
          await context.progress(Math.min(pct, 99), `kept ${current.kept} of ${request.max_sentences} sentences`, payload(current));
        },
      });
      if (counts.kept === 0) {
        throw new UserError(
          `no sentence passed the filters (${counts.seen} seen: ${JSON.stringify(counts.rejected)}); lower min_confidence or check language and script`,
        );
      }
      const record = await deps.dataBank.upload({ kind: 'path', path: outputPath }, { contentType: 'text/plain; charset=utf-8' });
      context.logger.info({ file_id: record.file_id, kept: counts.kept }, 'corpus stored');
      return {
        result_id: record.file_id,
        result_bytes: bytes,
        result: {
          file_id: record.file_id,
          ...payload(counts),
          report: {
            source: request.source,
            language: request.language,
            script: request.script ?? null,
            transform: request.transform,
            standard: conversion?.standard ?? null,
            min_confidence: request.min_confidence,
            complete: counts.kept >= request.max_sentences,
          },
        },
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
}
