"""pymzml 2.5.2 (Debian) calls Element.getiterator(), removed in Python 3.9. Importing this module
replaces the two methods that use it with the same code on Element.iter(); nothing else changes."""
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
