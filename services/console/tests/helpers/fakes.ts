// The unreachable outside services of the Transcripts page: transcript-api's own fakes of YouTube's
// InnerTube player and timed-text endpoints (one video with an auto-generated English track from its
// fixtures) and of an OpenAI-compatible speech-to-text endpoint (`transcript-api/testing`).
import { captionFixture, fakeStt, fakeYouTube, type FakeStt, type FakeYouTube } from 'transcript-api/testing';

export const VIDEO = { id: 'dQw4w9WgXcQ', title: 'A video with captions' } as const;

/** One video, `VIDEO`, with an English auto-generated caption track (json3). */
export async function startFakeYouTube(): Promise<FakeYouTube> {
  const body = await captionFixture('auto.en.json3');
  return fakeYouTube({
    [VIDEO.id]: {
      title: VIDEO.title,
      lengthSeconds: 30,
      tracks: [{ language: 'en', name: 'English (auto-generated)', asr: true, body, translatable: false }],
    },
  });
}

export const SPOKEN = ['hello from the fake speech to text', 'and a second sentence'] as const;

/** Every chunk says `SPOKEN`, one sentence per segment. */
export async function startFakeStt(): Promise<FakeStt> {
  const stt = await fakeStt();
  stt.words = () => [...SPOKEN];
  return stt;
}
