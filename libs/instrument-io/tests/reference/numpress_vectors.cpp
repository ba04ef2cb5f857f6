// Encodes test arrays with the reference MS-Numpress implementation and decodes them again, printing
// JSON: {"<name>": {"method", "input", "encoded" (base64), "decoded"}}. See tests/fixtures/SOURCES.md.
#include "MSNumpress.hpp"
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>
using namespace ms::numpress::MSNumpress;

static std::string b64(const std::vector<unsigned char> &in) {
  static const char *t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    unsigned v = (in[i] << 16) | (in[i + 1] << 8) | in[i + 2];
    out += t[v >> 18]; out += t[(v >> 12) & 63]; out += t[(v >> 6) & 63]; out += t[v & 63];
  }
  if (in.size() - i == 1) { unsigned v = in[i] << 16; out += t[v >> 18]; out += t[(v >> 12) & 63]; out += "=="; }
  if (in.size() - i == 2) { unsigned v = (in[i] << 16) | (in[i + 1] << 8); out += t[v >> 18]; out += t[(v >> 12) & 63]; out += t[(v >> 6) & 63]; out += '='; }
  return out;
}

static void print(const char *name, const char *method, const std::vector<double> &input,
                  const std::vector<unsigned char> &enc, const std::vector<double> &dec, bool last) {
  printf("  \"%s\": {\"method\": \"%s\", \"input\": [", name, method);
  for (size_t i = 0; i < input.size(); i++) printf("%s%.17g", i ? ", " : "", input[i]);
  printf("], \"encoded\": \"%s\", \"decoded\": [", b64(enc).c_str());
  for (size_t i = 0; i < dec.size(); i++) printf("%s%.17g", i ? ", " : "", dec[i]);
  printf("]}%s\n", last ? "" : ",");
}

int main() {
  std::vector<double> mz, counts, intensities, odd = {0, 1, 2};
  for (int i = 0; i < 500; i++) mz.push_back(100.0 + i * 0.0137 + std::sin(i) * 0.003);
  for (int i = 0; i < 500; i++) counts.push_back(std::floor(std::fabs(std::sin(i * 0.7)) * (i % 7 == 0 ? 4e7 : 3e3)));
  for (int i = 0; i < 500; i++) intensities.push_back(std::fabs(std::cos(i * 0.3)) * 1e5 + 0.25);
  std::vector<double> negatives = {1000.5, 999.25, 998.0, 1200.75, 1200.75, 1.0};
  std::vector<unsigned char> enc;
  std::vector<double> dec;
  printf("{\n");
  encodeLinear(mz, enc, optimalLinearFixedPoint(&mz[0], mz.size())); decodeLinear(enc, dec);
  print("linear_mz", "linear", mz, enc, dec, false);
  enc.clear(); dec.clear();
  encodeLinear(negatives, enc, optimalLinearFixedPoint(&negatives[0], negatives.size())); decodeLinear(enc, dec);
  print("linear_jumps", "linear", negatives, enc, dec, false);
  enc.clear(); dec.clear();
  encodePic(counts, enc); decodePic(enc, dec);
  print("pic_counts", "pic", counts, enc, dec, false);
  enc.clear(); dec.clear();
  encodePic(odd, enc); decodePic(enc, dec);
  print("pic_odd", "pic", odd, enc, dec, false);
  enc.clear(); dec.clear();
  encodeSlof(intensities, enc, optimalSlofFixedPoint(&intensities[0], intensities.size())); decodeSlof(enc, dec);
  print("slof_intensity", "slof", intensities, enc, dec, true);
  printf("}\n");
  return 0;
}
