import { UserError } from '@platform/workers';
import type { ScratchJob } from '@platform/core';
import { join } from 'node:path';
import { canonicalUrl } from '../../models/youtube-url.js';
import { MissingToolError, runProcess, toolErrorLine } from './process.js';

const USER_FAULT = /private video|video unavailable|has been removed|not available|members-only|sign in to confirm your age|copyright/i;

/** Downloads a video's best audio with yt-dlp into the job's scratch dir; returns the file's path. */
export async function downloadYouTubeAudio(ytdlp: string, videoId: string, scratch: ScratchJob, signal: AbortSignal): Promise<string> {
  const args = ['--no-playlist', '--no-progress', '--no-simulate', '--format', 'bestaudio/best'];
  args.push('--output', join(scratch.dir, 'source.%(ext)s'), '--print', 'after_move:filepath');
  args.push(canonicalUrl(videoId));
  let result;
  try {
    result = await runProcess(ytdlp, args, { signal, scratch });
  } catch (error) {
    if (error instanceof MissingToolError) throw new Error(`yt-dlp is not installed at YTDLP_PATH=${ytdlp}`);
    throw error;
  }
  const errorLine = toolErrorLine(result.stderr.split('\n').find((line) => line.startsWith('ERROR:')) ?? result.stderr);
  if (result.code !== 0) {
    if (USER_FAULT.test(errorLine))
      throw new UserError(`YouTube video ${videoId} cannot be downloaded: ${errorLine.replace(/^ERROR:\s*/, '')}`);
    throw new Error(`yt-dlp failed (exit ${result.code}): ${errorLine}`);
  }
  const path = result.stdout.trim().split('\n').at(-1);
  if (path === undefined || path === '') throw new Error('yt-dlp did not report the downloaded file');
  return path;
}
