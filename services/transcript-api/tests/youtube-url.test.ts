import { AppError } from '@platform/core';
import { describe, expect, it } from 'vitest';
import { parseYouTubeUrl } from '../src/models/youtube-url.js';

const ID = 'dQw4w9WgXcQ';

describe('parseYouTubeUrl', () => {
  it.each([
    `https://www.youtube.com/watch?v=${ID}`,
    `http://youtube.com/watch?v=${ID}`,
    `www.youtube.com/watch?v=${ID}`,
    `youtube.com/watch?feature=share&v=${ID}`,
    `https://m.youtube.com/watch?v=${ID}&t=42s`,
    `https://www.youtube.com/watch?v=${ID}&list=PL590L5WQmH8fJ54F369BLDSqIwcs-TCfs&index=3`,
    `https://music.youtube.com/watch?v=${ID}&si=abc`,
    `https://youtu.be/${ID}`,
    `https://youtu.be/${ID}?t=10`,
    `youtu.be/${ID}?si=xyz&list=PL1`,
    `https://www.youtube.com/shorts/${ID}`,
    `https://youtube.com/shorts/${ID}?feature=share`,
    `https://www.youtube.com/embed/${ID}?start=30`,
    `https://www.youtube-nocookie.com/embed/${ID}`,
    `https://www.youtube.com/live/${ID}?si=abc`,
    `https://www.youtube.com/v/${ID}`,
    `  https://WWW.YOUTUBE.COM/watch?v=${ID}  `,
    `https://www.youtube.com/watch/?v=${ID}#t=1m`,
  ])('accepts %s', (url) => {
    expect(parseYouTubeUrl(url)).toBe(ID);
  });

  it.each([
    ['', 'YOUTUBE_URL_REQUIRED'],
    ['   ', 'YOUTUBE_URL_REQUIRED'],
    ['https://[::1', 'YOUTUBE_URL_INVALID'],
    ['ftp://youtube.com/watch?v=dQw4w9WgXcQ', 'YOUTUBE_URL_INVALID'],
    ['https://vimeo.com/12345', 'YOUTUBE_URL_UNSUPPORTED'],
    ['https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ', 'YOUTUBE_URL_UNSUPPORTED'],
    ['https://user@youtube.com/watch?v=dQw4w9WgXcQ', 'YOUTUBE_URL_UNSUPPORTED'],
    ['https://youtube.com:8443/watch?v=dQw4w9WgXcQ', 'YOUTUBE_URL_UNSUPPORTED'],
    ['https://www.youtube.com/watch?v=short', 'YOUTUBE_VIDEO_ID_INVALID'],
    ['https://www.youtube.com/watch?v=dQw4w9WgXcQ!', 'YOUTUBE_VIDEO_ID_INVALID'],
    ['https://www.youtube.com/channel/UC38IQsAvIsxxjztdMZQtwHA', 'YOUTUBE_VIDEO_ID_INVALID'],
    ['https://www.youtube.com/playlist?list=PL590L5WQmH8fJ54F369BLDSqIwcs-TCfs', 'YOUTUBE_VIDEO_ID_INVALID'],
    ['https://www.youtube.com/', 'YOUTUBE_VIDEO_ID_INVALID'],
    ['https://youtu.be/', 'YOUTUBE_VIDEO_ID_INVALID'],
  ])('rejects "%s" with %s', (url, code) => {
    const error = (() => {
      try {
        parseYouTubeUrl(url);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code, status: 400 });
  });
});
