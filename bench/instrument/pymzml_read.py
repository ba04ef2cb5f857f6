"""Benchmark peer: reads every spectrum of an mzML with Debian's python3-pymzml, both arrays decoded.

  /usr/bin/python3 pymzml_read.py FILE
"""
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "../../libs/instrument-io/tests/reference"))
import pymzml  # noqa: E402

import pymzml_compat  # noqa: E402,F401  (Python 3.9+ fixes for pymzml 2.5.2)

started = time.perf_counter()
spectra = peaks = 0
for s in pymzml.run.Reader(sys.argv[1]):
    if s.element.tag.endswith("chromatogram"):
        continue
    spectra += 1
    peaks += len(s.mz)
    len(s.i)
print(json.dumps({"spectra": spectra, "peaks": peaks, "streamSeconds": time.perf_counter() - started}))
