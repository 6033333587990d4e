#include "shared/qr_code.h"

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <string>

#include "shared/qr_segments.h"
#include "shared/reed_solomon.h"

namespace deskgate {
namespace {

// The module grid while it is built: module colours plus which modules
// belong to function patterns (never masked, never hold data).
class Grid {
 public:
  explicit Grid(int version)
      : version_(version), size_(QrSize(version)), dark_(size_ * size_), function_(size_ * size_) {}

  int size() const { return size_; }
  bool dark(int x, int y) const { return dark_[Index(x, y)]; }
  bool function(int x, int y) const { return function_[Index(x, y)]; }
  void SetFunction(int x, int y, bool dark) {
    dark_[Index(x, y)] = dark;
    function_[Index(x, y)] = 1;
  }
  std::vector<uint8_t>& modules() { return dark_; }

  void DrawFunctionPatterns();
  void DrawFormatBits(QrEcc ecc, int mask);
  void PlaceCodewords(const std::vector<uint8_t>& codewords);
  void ApplyMask(int mask);  // XOR: applying twice undoes it
  long Penalty() const;

 private:
  size_t Index(int x, int y) const { return static_cast<size_t>(y) * size_ + x; }
  void DrawFinder(int cx, int cy);
  void DrawAlignment(int cx, int cy);
  void DrawVersionBits();
  long LinePenalty(bool rows) const;

  int version_;
  int size_;
  std::vector<uint8_t> dark_;
  std::vector<uint8_t> function_;
};

void Grid::DrawFinder(int cx, int cy) {
  // 7×7 finder with its light separator ring (9×9, clipped at the edges).
  for (int dy = -4; dy <= 4; ++dy) {
    for (int dx = -4; dx <= 4; ++dx) {
      const int x = cx + dx, y = cy + dy;
      if (x < 0 || y < 0 || x >= size_ || y >= size_) continue;
      const int ring = std::max(std::abs(dx), std::abs(dy));
      SetFunction(x, y, ring != 2 && ring != 4);
    }
  }
}

void Grid::DrawAlignment(int cx, int cy) {
  for (int dy = -2; dy <= 2; ++dy) {
    for (int dx = -2; dx <= 2; ++dx) {
      SetFunction(cx + dx, cy + dy, std::max(std::abs(dx), std::abs(dy)) != 1);
    }
  }
}

void Grid::DrawFunctionPatterns() {
  for (int i = 0; i < size_; ++i) {  // timing patterns
    SetFunction(6, i, i % 2 == 0);
    SetFunction(i, 6, i % 2 == 0);
  }
  DrawFinder(3, 3);
  DrawFinder(size_ - 4, 3);
  DrawFinder(3, size_ - 4);
  const std::vector<int> positions = QrAlignmentPositions(version_);
  const size_t last = positions.size() - 1;
  for (size_t i = 0; i < positions.size(); ++i) {
    for (size_t j = 0; j < positions.size(); ++j) {
      // Skip the three corners that the finders occupy.
      if ((i == 0 && j == 0) || (i == 0 && j == last) || (i == last && j == 0)) continue;
      DrawAlignment(positions[i], positions[j]);
    }
  }
  DrawFormatBits(QrEcc::kMedium, 0);  // reserves the modules; redrawn with the real mask
  DrawVersionBits();
}

void Grid::DrawFormatBits(QrEcc ecc, int mask) {
  const uint32_t bits = QrFormatBits(ecc, mask);
  const auto bit = [bits](int i) { return ((bits >> i) & 1) != 0; };
  // First copy, around the top-left finder.
  for (int i = 0; i <= 5; ++i) SetFunction(8, i, bit(i));
  SetFunction(8, 7, bit(6));
  SetFunction(8, 8, bit(7));
  SetFunction(7, 8, bit(8));
  for (int i = 9; i < 15; ++i) SetFunction(14 - i, 8, bit(i));
  // Second copy, split between the other two finders.
  for (int i = 0; i < 8; ++i) SetFunction(size_ - 1 - i, 8, bit(i));
  for (int i = 8; i < 15; ++i) SetFunction(8, size_ - 15 + i, bit(i));
  SetFunction(8, size_ - 8, true);  // the dark module
}

void Grid::DrawVersionBits() {
  if (version_ < 7) return;
  const uint32_t bits = QrVersionBits(version_);
  for (int i = 0; i < 18; ++i) {
    const bool on = ((bits >> i) & 1) != 0;
    const int a = size_ - 11 + i % 3, b = i / 3;
    SetFunction(a, b, on);
    SetFunction(b, a, on);
  }
}

void Grid::PlaceCodewords(const std::vector<uint8_t>& codewords) {
  // Two-module-wide columns from the right edge, zigzagging up and down,
  // skipping the vertical timing pattern in column 6.
  const size_t total_bits = codewords.size() * 8;
  size_t i = 0;
  for (int right = size_ - 1; right >= 1; right -= 2) {
    if (right == 6) right = 5;
    const bool upward = ((right + 1) & 2) == 0;
    for (int step = 0; step < size_; ++step) {
      const int y = upward ? size_ - 1 - step : step;
      for (int dx = 0; dx < 2; ++dx) {
        const int x = right - dx;
        if (function(x, y)) continue;
        // Remainder bits past the last codeword stay light.
        if (i < total_bits) dark_[Index(x, y)] = (codewords[i >> 3] >> (7 - (i & 7))) & 1;
        ++i;
      }
    }
  }
}

bool MaskBit(int mask, int x, int y) {
  switch (mask) {
    case 0:
      return (x + y) % 2 == 0;
    case 1:
      return y % 2 == 0;
    case 2:
      return x % 3 == 0;
    case 3:
      return (x + y) % 3 == 0;
    case 4:
      return (x / 3 + y / 2) % 2 == 0;
    case 5:
      return x * y % 2 + x * y % 3 == 0;
    case 6:
      return (x * y % 2 + x * y % 3) % 2 == 0;
    default:
      return ((x + y) % 2 + x * y % 3) % 2 == 0;
  }
}

void Grid::ApplyMask(int mask) {
  for (int y = 0; y < size_; ++y) {
    for (int x = 0; x < size_; ++x) {
      if (!function(x, y) && MaskBit(mask, x, y)) dark_[Index(x, y)] ^= 1;
    }
  }
}

// Penalty rules 1 and 3 along every row (or column): runs of five or more
// same-coloured modules, and finder-like 1:1:3:1:1 patterns with four light
// modules on a side. The quiet zone around the symbol counts as light.
long Grid::LinePenalty(bool rows) const {
  constexpr long kRunPenalty = 3, kFinderPenalty = 40;
  long penalty = 0;
  std::vector<int> runs;  // alternating run lengths, starting with a light run
  for (int line = 0; line < size_; ++line) {
    runs.assign(1, QrCode::kQuietZone);
    bool colour = false;
    for (int i = 0; i < size_; ++i) {
      const bool d = rows ? dark(i, line) : dark(line, i);
      if (d == colour) {
        ++runs.back();
      } else {
        runs.push_back(1);
        colour = d;
      }
    }
    if (colour) runs.push_back(0);
    runs.back() += QrCode::kQuietZone;

    for (size_t r = 0; r < runs.size(); ++r) {
      // Edge runs include the quiet zone, which is not part of the symbol.
      const int inside = runs[r] - (r == 0 || r + 1 == runs.size() ? QrCode::kQuietZone : 0);
      if (inside >= 5) penalty += kRunPenalty + (inside - 5);
    }
    // Dark runs sit at odd indices. A finder-like pattern centred on run c.
    for (size_t c = 3; c + 3 < runs.size(); c += 2) {
      const int n = runs[c] / 3;
      if (n == 0 || runs[c] != 3 * n || runs[c - 1] != n || runs[c + 1] != n || runs[c - 2] != n ||
          runs[c + 2] != n) {
        continue;
      }
      if (runs[c - 3] >= 4 * n) penalty += kFinderPenalty;
      if (runs[c + 3] >= 4 * n) penalty += kFinderPenalty;
    }
  }
  return penalty;
}

long Grid::Penalty() const {
  long penalty = LinePenalty(true) + LinePenalty(false);
  // Rule 2: each 2×2 block of one colour.
  long dark_count = 0;
  for (int y = 0; y < size_; ++y) {
    for (int x = 0; x < size_; ++x) {
      const bool d = dark(x, y);
      dark_count += d;
      if (x + 1 < size_ && y + 1 < size_ && d == dark(x + 1, y) && d == dark(x, y + 1) &&
          d == dark(x + 1, y + 1)) {
        penalty += 3;
      }
    }
  }
  // Rule 4: 10 points for each full 5 % that the dark share strays from 50 %.
  const long total = static_cast<long>(size_) * size_;
  penalty += std::labs(dark_count * 20 - total * 10) / total * 10;
  return penalty;
}

const char* EccName(QrEcc ecc) {
  static constexpr const char* kNames[] = {"L", "M", "Q", "H"};
  return kNames[static_cast<int>(ecc)];
}

}  // namespace

Result<QrEcc> ParseQrEcc(std::string_view name) {
  if (name == "L" || name == "l") return QrEcc::kLow;
  if (name == "M" || name == "m") return QrEcc::kMedium;
  if (name == "Q" || name == "q") return QrEcc::kQuartile;
  if (name == "H" || name == "h") return QrEcc::kHigh;
  return Status::Error("error-correction level must be L, M, Q or H");
}

Result<std::vector<uint8_t>> QrDataCodewordsFor(std::string_view payload, int version, QrEcc ecc) {
  const std::vector<QrSegment> segments = SegmentOptimally(payload, version);
  const size_t capacity_bits = static_cast<size_t>(QrDataCodewords(version, ecc)) * 8;
  if (SegmentBits(segments, version) > capacity_bits) {
    return Status::Error("payload does not fit version " + std::to_string(version));
  }
  BitWriter bits;
  WriteSegments(payload, segments, version, bits);
  // Terminator of up to four zero bits, zero bits to a byte boundary, then
  // the alternating pad bytes.
  bits.Append(0, static_cast<int>(std::min<size_t>(4, capacity_bits - bits.bit_count())));
  bits.Append(0, static_cast<int>((8 - bits.bit_count() % 8) % 8));
  for (uint8_t pad = 0xEC; bits.bit_count() < capacity_bits; pad ^= 0xEC ^ 0x11) {
    bits.Append(pad, 8);
  }
  return std::move(bits.bytes());
}

std::vector<uint8_t> QrInterleaveWithEcc(const std::vector<uint8_t>& data, int version, QrEcc ecc) {
  const int blocks = QrEccBlocks(version, ecc);
  const int ecc_len = QrEccCodewordsPerBlock(version, ecc);
  const int total = QrTotalCodewords(version);
  // The first `short_blocks` blocks carry one data codeword fewer.
  const int short_blocks = blocks - total % blocks;
  const int short_data = total / blocks - ecc_len;
  const std::vector<uint8_t> generator = ReedSolomonGenerator(ecc_len);

  std::vector<std::vector<uint8_t>> data_blocks, ecc_blocks;
  size_t offset = 0;
  for (int b = 0; b < blocks; ++b) {
    const size_t len = static_cast<size_t>(short_data + (b < short_blocks ? 0 : 1));
    data_blocks.emplace_back(data.begin() + offset, data.begin() + offset + len);
    ecc_blocks.push_back(ReedSolomonRemainder(data_blocks.back(), generator));
    offset += len;
  }
  std::vector<uint8_t> out;
  out.reserve(static_cast<size_t>(total));
  for (int i = 0; i <= short_data; ++i) {
    for (const auto& block : data_blocks) {
      if (static_cast<size_t>(i) < block.size()) out.push_back(block[i]);
    }
  }
  for (int i = 0; i < ecc_len; ++i) {
    for (const auto& block : ecc_blocks) out.push_back(block[i]);
  }
  return out;
}

Result<int> QrMinimumVersion(std::string_view payload, QrEcc ecc) {
  // The segmentation depends on the version only through the width of the
  // count fields, which changes at versions 10 and 27.
  constexpr int kGroupStarts[] = {1, 10, 27};
  for (int group = 0; group < 3; ++group) {
    const int first = kGroupStarts[group];
    const int last = group == 2 ? kQrMaxVersion : kGroupStarts[group + 1] - 1;
    const size_t bits = SegmentBits(SegmentOptimally(payload, first), first);
    for (int v = first; v <= last; ++v) {
      if (bits <= static_cast<size_t>(QrDataCodewords(v, ecc)) * 8) return v;
    }
  }
  return Status::Error("text is too long for a QR code at level " + std::string(EccName(ecc)) +
                       " (" + std::to_string(payload.size()) + " bytes)");
}

Result<QrCode> QrCode::Encode(std::string_view payload, QrEcc ecc, int mask) {
  if (mask < -1 || mask > 7) return Status::Error("mask must be -1 (automatic) or 0 to 7");
  auto minimum = QrMinimumVersion(payload, ecc);
  if (!minimum.ok()) return minimum.status();
  const int version = minimum.value();
  auto data = QrDataCodewordsFor(payload, version, ecc);
  if (!data.ok()) return data.status();

  Grid grid(version);
  grid.DrawFunctionPatterns();
  grid.PlaceCodewords(QrInterleaveWithEcc(data.value(), version, ecc));
  if (mask < 0) {
    long best = std::numeric_limits<long>::max();
    for (int m = 0; m < 8; ++m) {
      grid.ApplyMask(m);
      grid.DrawFormatBits(ecc, m);
      const long penalty = grid.Penalty();
      if (penalty < best) {
        best = penalty;
        mask = m;
      }
      grid.ApplyMask(m);
    }
  }
  grid.ApplyMask(mask);
  grid.DrawFormatBits(ecc, mask);

  QrCode code;
  code.version_ = version;
  code.size_ = grid.size();
  code.mask_ = mask;
  code.ecc_ = ecc;
  code.modules_ = std::move(grid.modules());
  return code;
}

}  // namespace deskgate
