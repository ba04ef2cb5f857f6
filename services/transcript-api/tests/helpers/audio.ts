import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A tone that sounds for `onS` seconds and is silent for `offS`, repeated for `durationS` seconds:
 * speech-like stretches separated by pauses for silencedetect to find.
 */
export async function pulsedTone(dir: string, name: string, durationS: number, onS: number, offS: number): Promise<string> {
  const path = join(dir, name);
  const period = onS + offS;
  const source = `sine=frequency=440:sample_rate=44100:duration=${durationS}`;
  const gate = `volume=volume='if(lt(mod(t,${period}),${onS}),0.5,0)':eval=frame`;
  await run('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', source, '-af', gate, '-ac', '2', path]);
  return path;
}

/** A steady tone with no silence at all (forces hard splits). */
export async function steadyTone(dir: string, name: string, durationS: number): Promise<string> {
  const path = join(dir, name);
  await run('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', `sine=frequency=300:duration=${durationS}`, path]);
  return path;
}

/** A video file without an audio stream. */
export async function silentVideo(dir: string): Promise<string> {
  const path = join(dir, 'video-only.mp4');
  await run('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=64x64:rate=5:duration=2', '-c:v', 'mpeg4', path]);
  return path;
}

/** Spoken English from espeak-ng, as WAV. */
export async function speech(dir: string, text: string): Promise<string> {
  const path = join(dir, 'speech.wav');
  await run('espeak-ng', ['-v', 'en-us', '-s', '140', '-w', path, text]);
  return path;
}

/** Matroska's Segment Info Duration element: ID 0x4489, an 8-byte float (size byte 0x88), in milliseconds. */
const MATROSKA_DURATION = Buffer.from([0x44, 0x89, 0x88]);

/**
 * A Matroska audio file that holds `realS` seconds of tone but whose header claims `claimedS`: ffprobe
 * reports the claim, while a decode reads every cluster.
 */
export async function lyingMatroska(dir: string, name: string, realS: number, claimedS: number): Promise<string> {
  const path = join(dir, name);
  const source = `sine=frequency=440:sample_rate=16000:duration=${realS}`;
  await run('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', source, '-c:a', 'flac', path]);
  const data = await readFile(path);
  const at = data.indexOf(MATROSKA_DURATION);
  if (at < 0) throw new Error('no Duration element in the Matroska file');
  data.writeDoubleBE(claimedS * 1000, at + MATROSKA_DURATION.length);
  await writeFile(path, data);
  return path;
}
