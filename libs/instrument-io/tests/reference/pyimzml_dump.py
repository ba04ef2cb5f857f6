"""Expected values for the imzML fixtures, recorded with pyimzML (see tests/fixtures/SOURCES.md).

  PYTHONPATH=<pyimzML checkout> /usr/bin/python3 pyimzml_dump.py A.imzML [B.imzML ...] > expected.json
"""
import json
import sys

import numpy as np
from pyimzml.ImzMLParser import ImzMLParser

out = {}
for path in sys.argv[1:]:
    p = ImzMLParser(path)
    spectra = []
    for i, coords in enumerate(p.coordinates):
        mz, inten = p.getspectrum(i)
        spectra.append({
            "coordinates": list(coords),
            "length": int(len(mz)),
            "mz_sum": float(np.sum(mz, dtype=np.float64)),
            "intensity_sum": float(np.sum(inten, dtype=np.float64)),
            "mz_head": [float(v) for v in mz[:5]],
            "intensity_max": float(np.max(inten)),
        })
    out[path.split("/")[-1]] = spectra
print(json.dumps(out, indent=1))
