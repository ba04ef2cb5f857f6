// Files a person would give the Transcripts and Wrapped pages, made on the spot.
/** Two seconds of a 440 Hz tone as 16 kHz mono 16-bit PCM WAV. */
export function toneWav(seconds = 2, rate = 16_000): Buffer {
  const samples = seconds * rate;
  const wav = Buffer.alloc(44 + samples * 2);
  wav.write('RIFF', 0);
  wav.writeUInt32LE(36 + samples * 2, 4);
  wav.write('WAVEfmt ', 8);
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(1, 22); // mono
  wav.writeUInt32LE(rate, 24);
  wav.writeUInt32LE(rate * 2, 28);
  wav.writeUInt16LE(2, 32);
  wav.writeUInt16LE(16, 34);
  wav.write('data', 36);
  wav.writeUInt32LE(samples * 2, 40);
  for (let index = 0; index < samples; index++)
    wav.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * index) / rate)), 44 + index * 2);
  return wav;
}

/** A Spotify extended streaming history (the export's JSON) of `count` plays in `year`. */
export function spotifyExport(count: number, year: number): string {
  return JSON.stringify(
    Array.from({ length: count }, (_, index) => ({
      ts: new Date(Date.UTC(year, index % 12, (index % 27) + 1, 20, 0, 0)).toISOString(),
      ms_played: 200_000,
      master_metadata_track_name: `Song ${String(index % 7)}`,
      master_metadata_album_artist_name: ['Björk', 'Sigur Rós', 'Daft Punk'][index % 3],
      master_metadata_album_album_name: 'Album',
      spotify_track_uri: `spotify:track:${String(index % 7)}`,
    })),
  );
}
