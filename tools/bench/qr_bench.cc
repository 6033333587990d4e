// QR encoding cost: deskgate's encoder against libqrencode (the reference C
// implementation, benchmark-only dependency) on the same input in the same
// run. Input: a 150-character otpauth URI at level M.
#include <qrencode.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "shared/qr/qr_code.h"

namespace {

// Median microseconds per call over `runs` runs of `calls` calls.
double MedianMicros(const std::function<void()>& call, int runs, int calls) {
  std::vector<double> samples;
  for (int r = 0; r < runs; ++r) {
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < calls; ++i) call();
    const std::chrono::duration<double, std::micro> took = std::chrono::steady_clock::now() - start;
    samples.push_back(took.count() / calls);
  }
  std::sort(samples.begin(), samples.end());
  return samples[samples.size() / 2];
}

}  // namespace

int main() {
  const std::string uri =
      "otpauth://totp/RTX%20Support%20Portal:jane.doe%40example.com?secret="
      "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=RTX%20Support%20Portal&algorithm=SHA1&digits=6";
  const std::string payload = uri.substr(0, 150);
  size_t sink = 0;

  auto ours = deskgate::QrCode::Encode(payload, deskgate::QrEcc::kMedium);
  QRcode* theirs = QRcode_encodeString(payload.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  if (!ours.ok() || theirs == nullptr) return 1;
  std::printf("payload: %zu characters; deskgate version %d, libqrencode version %d\n",
              payload.size(), ours.value().version(), theirs->version);
  QRcode_free(theirs);

  constexpr int kRuns = 15, kCalls = 400;
  // Alternate the two so drift in machine speed affects both alike.
  std::vector<double> deskgate_us, qrencode_us;
  for (int round = 0; round < 3; ++round) {
    deskgate_us.push_back(MedianMicros(
        [&] { sink += deskgate::QrCode::Encode(payload, deskgate::QrEcc::kMedium).value().size(); },
        kRuns, kCalls));
    qrencode_us.push_back(MedianMicros(
        [&] {
          QRcode* code = QRcode_encodeString(payload.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1);
          sink += code->width;
          QRcode_free(code);
        },
        kRuns, kCalls));
  }
  std::sort(deskgate_us.begin(), deskgate_us.end());
  std::sort(qrencode_us.begin(), qrencode_us.end());
  const double ours_us = deskgate_us[1], theirs_us = qrencode_us[1];
  std::printf(
      "QR encode native: deskgate %.1f us, libqrencode %.1f us, ratio %.2f (budget <= 1.0)\n",
      ours_us, theirs_us, ours_us / theirs_us);
  return sink == 0;
}
