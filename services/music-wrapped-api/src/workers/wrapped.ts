import { isAppError, type DataBankClient, type ScratchArea } from '@platform/core';
import {
  CrossSourceDeduper,
  readExport,
  renderHtml,
  type CardRenderer,
  WrappedAccumulator,
  ZoneClock,
  type HistorySource,
  type PlayRecord,
  type WrappedReport,
  type ZipLimits,
} from '@platform/music';
import { handleJob, UserError, type JobContext } from '@platform/workers';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { viaDataBank } from '../services/data-bank-errors.js';
import { wrappedJob } from '../jobs/wrapped.js';
import type { SourceSpec, WrappedJobData, WrappedResultFiles } from '../models/wrapped.js';
import type { ImportStore } from '../services/import-store.js';
import type { Provider } from '../services/token-store.js';

export interface WrappedJobDeps {
  imports: ImportStore;
  dataBank: DataBankClient;
  /** The live history of a connected account; throws a CredentialsError when the user has none. */
  liveSource: (service: Provider, userId: string) => Promise<HistorySource>;
  /** Downloads go to a scratch job of this area; the worker sweeps it at start. */
  scratch: ScratchArea;
  cards: CardRenderer;
  zipLimits: ZipLimits;
}

/** Errors with a client status (bad export, too few plays, bad credentials) are the user's, not retried. */
function asUserError(error: unknown): unknown {
  return isAppError(error) && error.status < 500 ? new UserError(error.message, { cause: error }) : error;
}

async function* importPlays(deps: WrappedJobDeps, spec: { import_id: string }, userId: string, dir: string): AsyncGenerator<PlayRecord> {
  const record = await deps.imports.get(spec.import_id, userId);
  if (!record) throw new UserError(`import ${spec.import_id} not found (imports are kept 30 days)`);
  const path = join(dir, record.import_id);
  await viaDataBank(() => deps.dataBank.download(record.file_id, path));
  try {
    yield* readExport(path, record.filename, deps.zipLimits);
  } finally {
    await rm(path, { force: true });
  }
}

async function buildReport(deps: WrappedJobDeps, data: WrappedJobData, context: JobContext): Promise<WrappedReport> {
  const accumulator = new WrappedAccumulator({ year: data.year, timeZone: data.time_zone });
  const deduper = data.sources.length > 1 ? new CrossSourceDeduper() : undefined;
  const scratch = await deps.scratch.createJob();
  try {
    for (const [index, spec] of data.sources.entries()) {
      await context.progress(5 + Math.round((index / data.sources.length) * 60), `reading ${spec.service} ${describe(spec)}`);
      const plays =
        'import_id' in spec
          ? importPlays(deps, spec, data.user_id, scratch.dir)
          : (await deps.liveSource(spec.service, data.user_id)).plays(new ZoneClock(data.time_zone).yearRange(data.year), context.signal);
      let count = 0;
      for await (const play of plays) {
        if (++count % 100_000 === 0) context.signal.throwIfAborted();
        if (!deduper || deduper.accept(play)) accumulator.add(play);
      }
    }
    return accumulator.report();
  } finally {
    await scratch.dispose();
  }
}

const describe = (spec: SourceSpec) => ('import_id' in spec ? `import ${spec.import_id}` : 'account');

/** Runs report jobs (the worker process only): read every source, render the cards and page, store them. */
export function wrappedHandler(deps: WrappedJobDeps) {
  return handleJob(wrappedJob, async (data, context) => {
    try {
      const report = await buildReport(deps, data, context);
      await context.progress(70, 'rendering');
      const [story, landscape] = await Promise.all([deps.cards.render(report, 'story'), deps.cards.render(report, 'landscape')]);
      const html = Buffer.from(renderHtml(report));
      const json = Buffer.from(JSON.stringify(report));
      await context.progress(90, 'storing');
      const upload = async (bytes: Buffer, contentType: string) =>
        (await viaDataBank(() => deps.dataBank.upload({ kind: 'buffer', data: bytes }, { contentType }))).file_id;
      const files: WrappedResultFiles = {
        report: await upload(json, 'application/json'),
        card_story: await upload(story, 'image/png'),
        card_landscape: await upload(landscape, 'image/png'),
        html: await upload(html, 'text/html; charset=utf-8'),
      };
      return {
        result_id: files.report,
        result_bytes: json.length,
        result: {
          files,
          plays: report.totals.plays,
          minutes: report.totals.minutes,
          top_artist: report.top_artists[0]?.name ?? null,
        },
      };
    } catch (error) {
      throw asUserError(error);
    }
  });
}
