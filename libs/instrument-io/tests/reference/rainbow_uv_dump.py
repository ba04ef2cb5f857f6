"""Expected values for the ChemStation .uv fixtures (rainbow publishes no CSV for them), recorded
with rainbow's own parser in pure Python (its Cython accelerators not built; lxml, used only for
folder metadata, and pandas, used only by the Waters reader, stubbed). See tests/fixtures/SOURCES.md.

  PYTHONPATH=<rainbow checkout> /usr/bin/python3 rainbow_uv_dump.py FILE.uv ... > uv-rainbow.json
"""
import json
import sys
import types

for stub in ("lxml", "pandas"):
    sys.modules[stub] = types.ModuleType(stub)
sys.modules["lxml"].etree = None
from rainbow.agilent import chemstation  # noqa: E402

out = {}
for path in sys.argv[1:]:
    df = chemstation.parse_uv(path)
    data = df.data
    mid = data.shape[0] // 2
    out["/".join(path.split("/")[-2:])] = {
        "shape": list(data.shape),
        "wavelengths": [int(w) for w in df.ylabels],
        "time_first": float(df.xlabels[0]),
        "time_last": float(df.xlabels[-1]),
        "column_sums": [float(v) for v in data.sum(axis=0)],
        "row_first": [float(v) for v in data[0]],
        "row_mid": [float(v) for v in data[mid]],
        "metadata": df.metadata,
    }
print(json.dumps(out, indent=1))
