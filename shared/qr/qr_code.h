// QrCode: a QR Code Model 2 symbol (ISO/IEC 18004:2015), versions 1–40,
// levels L/M/Q/H, numeric, alphanumeric and byte segments.
//
// Encode() picks the smallest version that holds the payload at the chosen
// level (with the segmentation that needs the fewest bits), interleaves the
// Reed–Solomon blocks, places the modules and keeps the mask with the lowest
// penalty under the standard's four rules. The result is immutable.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "shared/core/status.h"
#include "shared/qr/qr_version.h"

namespace deskgate {

class QrCode {
 public:
  // Modules of quiet zone renderers put around the symbol.
  static constexpr int kQuietZone = 4;

  // `mask` -1 chooses the best mask; 0–7 forces one (for tests).
  static Result<QrCode> Encode(std::string_view payload, QrEcc ecc, int mask = -1);

  int version() const { return version_; }
  int size() const { return size_; }
  int mask() const { return mask_; }
  QrEcc ecc() const { return ecc_; }
  // True for a dark module; (0,0) is the top-left corner, outside the quiet zone.
  bool dark(int x, int y) const { return modules_[static_cast<size_t>(y) * size_ + x] != 0; }
  // Row-major, one byte per module (1 = dark), size() × size().
  const std::vector<uint8_t>& modules() const { return modules_; }

 private:
  QrCode() = default;
  int version_ = 0;
  int size_ = 0;
  int mask_ = 0;
  QrEcc ecc_ = QrEcc::kMedium;
  std::vector<uint8_t> modules_;
};

// The data codewords (before error correction) of `payload` in a symbol of
// `version`: segments, terminator and padding. Exposed for known-answer tests.
Result<std::vector<uint8_t>> QrDataCodewordsFor(std::string_view payload, int version, QrEcc ecc);

// Data codewords with error correction added and blocks interleaved, in the
// order they are placed in the symbol.
std::vector<uint8_t> QrInterleaveWithEcc(const std::vector<uint8_t>& data, int version, QrEcc ecc);

// The smallest version that holds `payload` at level `ecc`, or an error when
// even version 40 is too small.
Result<int> QrMinimumVersion(std::string_view payload, QrEcc ecc);

// Parses "L", "M", "Q" or "H".
Result<QrEcc> ParseQrEcc(std::string_view name);

}  // namespace deskgate
