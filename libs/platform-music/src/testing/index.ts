export * from './fake-apple-music.js';
export * from './fake-lastfm.js';
export * from './fake-server.js';
export * from './fake-spotify.js';
