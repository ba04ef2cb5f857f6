"""Reference dump of an mzML file with Debian's python3-pymzml, one JSON object per spectrum.

  /usr/bin/python3 pymzml_dump.py FILE [--arrays]

pymzml 2.5.2 needs pymzml_compat (beside this file) on Python 3.9+.
"""
import json
import sys

import pymzml

import pymzml_compat  # noqa: F401  (Python 3.9+ fixes for pymzml 2.5.2)


def main():
    path = sys.argv[1]
    arrays = "--arrays" in sys.argv
    run = pymzml.run.Reader(path)
    for s in run:
        if s.element.tag.endswith("chromatogram"):
            continue
        try:
            rt = s.scan_time_in_minutes()
        except AttributeError:  # no scan start time in this spectrum
            rt = None
        out = {
            "index": int(s.element.get("index")),
            "id": s.element.get("id"),
            "ms_level": s.ms_level,
            "rt_seconds": None if rt is None else rt * 60,
            "precursor_mz": [p["mz"] for p in (s.selected_precursors or [])],
            "peaks": len(s.mz),
        }
        if arrays:
            out["mz"] = [float(v) for v in s.mz]
            out["intensity"] = [float(v) for v in s.i]
        print(json.dumps(out))


main()
