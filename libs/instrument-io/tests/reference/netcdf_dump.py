"""Reference values of an ANDI netCDF file with Debian's python3-netcdf4, as one JSON object.

  /usr/bin/python3 netcdf_dump.py FILE
"""
import json
import sys

import netCDF4
import numpy as np

d = netCDF4.Dataset(sys.argv[1])
d.set_auto_mask(False)
out = {"attributes": {k: (v if isinstance(v, str) else float(v)) for k, v in ((k, d.getncattr(k)) for k in d.ncattrs())}}
if "mass_values" in d.variables:
    out["times"] = [float(v) for v in d["scan_acquisition_time"][:]]
    out["tic"] = [float(v) for v in d["total_intensity"][:]]
    starts = d["scan_index"][:]
    counts = d["point_count"][:]
    mz = d["mass_values"][:]
    inten = d["intensity_values"][:]
    picks = [0, 1, len(starts) // 2, len(starts) - 1]
    out["scans"] = {str(i): {"mz": [float(v) for v in mz[starts[i]:starts[i] + counts[i]]],
                             "intensity": [float(v) for v in inten[starts[i]:starts[i] + counts[i]]]} for i in picks}
    out["points"] = int(np.sum(counts))
else:
    out["ordinate_values"] = [float(v) for v in d["ordinate_values"][:]]
    out["interval"] = float(d["actual_sampling_interval"][...])
    out["delay"] = float(d["actual_delay_time"][...])
print(json.dumps(out))
