// Test utilities for this service and the packages that drive it (the console's end-to-end tests): local
// servers speaking YouTube's InnerTube player and timed-text formats and an OpenAI-compatible
// speech-to-text endpoint, and the caption fixtures they can serve. Import as `transcript-api/testing`.
import { readFile } from 'node:fs/promises';

export { fakeStt, type FakeStt, type SttCall } from './fake-stt.js';
export { fakeYouTube, type FakeTrack, type FakeVideo, type FakeYouTube } from './fake-youtube.js';

/** Caption files as YouTube serves them: json3, srv3/srv1 XML and WebVTT. */
export type CaptionFixture = 'auto.en.json3' | 'auto-rolling.en.vtt' | 'manual.de.srv3.xml' | 'manual.en.srv1.xml';

export const captionFixture = (name: CaptionFixture): Promise<string> =>
  readFile(new URL(`../tests/fixtures/${name}`, import.meta.url), 'utf8');
