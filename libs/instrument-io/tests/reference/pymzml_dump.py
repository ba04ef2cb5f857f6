"""Reference dump of an mzML file with Debian's python3-pymzml, one JSON object per spectrum.

  /usr/bin/python3 pymzml_dump.py FILE [--arrays]

pymzml 2.5.2 calls Element.getiterator(), removed in Python 3.9; the two methods that use it are
replaced here by the same code with Element.iter(), nothing else is changed.
"""
import json
import sys

import pymzml
from pymzml import spec


def _read_accessions(self):
    self.accessions = {}
    for element in self.element.iter():
        accession = element.get("accession")
        name = element.get("name")
        if accession is not None:
            self.accessions[name] = accession
    if "profile spectrum" in self.accessions.keys():
        self._profile = True


def _set_params_from_reference_group(self, ref_element):
    ref = self.element.find("{ns}referenceableParamGroupRef".format(ns=self.ns))
    if ref is not None:
        ref = ref.get("ref")
    ele = ref_element.find(".//*[@id='{ref}']".format(ref=ref, ns=self.ns))
    if ele is not None and ref == ele.get("id"):
        for _param in ele.iter():
            self.element.append(ele)


spec.Spectrum._read_accessions = _read_accessions
spec.Spectrum._set_params_from_reference_group = _set_params_from_reference_group


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
