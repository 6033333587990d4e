// QR codes of text that comes from settings (issuer names in otpauth URIs):
// any text at any error-correction level encodes or is refused as too long.
#include "shared/qr/qr_code.h"
#include "shared/qr/qr_render.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using deskgate::fuzz::Check;
  if (size == 0) return 0;
  const deskgate::QrEcc levels[] = {deskgate::QrEcc::kLow, deskgate::QrEcc::kMedium,
                                    deskgate::QrEcc::kQuartile, deskgate::QrEcc::kHigh};
  auto qr = deskgate::QrCode::Encode(deskgate::fuzz::Text(data + 1, size - 1), levels[data[0] & 3]);
  if (!qr.ok()) return 0;
  Check(qr.value().size() >= 21 && qr.value().size() <= 177, "a QR symbol's size");
  return 0;
}
