"""The same analysis with pandas (Debian python3-pandas): one JSON line like analyse.ts."""
import json, resource, sys, time

import pandas as pd

path, year, zone = sys.argv[1], int(sys.argv[2]), sys.argv[3]
started = time.perf_counter()
cpu0 = time.process_time()
df = pd.read_json(path, dtype=False, convert_dates=False)
rows = len(df)
df = df[df["master_metadata_track_name"].notna() & (df["ms_played"] >= 30_000)]
start = pd.to_datetime(df["ts"], utc=True) - pd.to_timedelta(df["ms_played"], unit="ms")
first_heard = df.assign(at=start).groupby("master_metadata_album_artist_name")["at"].min()
local = start.dt.tz_convert(zone)
df = df.assign(local=local)
df = df[df["local"].dt.year == year]
artist, track, album = "master_metadata_album_artist_name", "master_metadata_track_name", "master_metadata_album_album_name"


def top(keys, n=10):
    g = df.groupby(keys).agg(plays=("ms_played", "size"), ms=("ms_played", "sum")).reset_index()
    return g.sort_values(["plays", "ms"] + keys, ascending=[False, False] + [True] * len(keys)).head(n)


top_artists, top_tracks, top_albums = top([artist]), top([track, artist]), top([album, artist])
month = df["local"].dt.month
monthly = []
for m, part in df.groupby(month):
    a = part.groupby(artist).agg(plays=("ms_played", "size"), ms=("ms_played", "sum")).reset_index()
    t = part.groupby([track, artist]).agg(plays=("ms_played", "size"), ms=("ms_played", "sum")).reset_index()
    monthly.append((m, a.sort_values(["plays", "ms", artist], ascending=[False, False, True]).iloc[0][artist],
                    t.sort_values(["plays", "ms", track], ascending=[False, False, True]).iloc[0][track]))
by_hour = df["local"].dt.hour.value_counts().reindex(range(24), fill_value=0).tolist()
by_weekday = df["local"].dt.weekday.value_counts().reindex(range(7), fill_value=0).tolist()
days = df.groupby(df["local"].dt.date).agg(plays=("ms_played", "size"), ms=("ms_played", "sum"))
busiest = days.sort_values(["plays", "ms"], ascending=[False, False]).index[0]
ordinals = pd.Series(sorted(d.toordinal() for d in days.index))
streak = int(ordinals.groupby((ordinals.diff() != 1).cumsum()).size().max())
year_start = pd.Timestamp(year=year, month=1, day=1, tz=zone)
new_artists = int((first_heard[df[artist].unique()] >= year_start).sum())
summary = {
    "rows": rows, "plays": int(len(df)), "top": top_artists.iloc[0][artist], "minutes": float(df["ms_played"].sum() / 60000),
    "distinct": [int(df[track].nunique()), int(df[artist].nunique()), int(df[album].nunique())], "streak": streak,
    "new_artists": new_artists, "busiest": str(busiest), "hours": sum(by_hour), "weekdays": sum(by_weekday), "months": len(monthly),
}
summary.update(wallMs=(time.perf_counter() - started) * 1000, cpuMs=(time.process_time() - cpu0) * 1000,
               peakMb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
print(json.dumps(summary, default=str))
