#include "shared/qr/qr_code.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdlib>
#include <limits>
#include <string>

#include "shared/qr/qr_penalty.h"
#include "shared/qr/qr_segments.h"
#include "shared/qr/reed_solomon.h"

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
  const std::vector<uint8_t>& modules() const { return dark_; }

  void DrawFunctionPatterns();
  void DrawFormatBits(QrEcc ecc, int mask);
  void PlaceCodewords(const std::vector<uint8_t>& codewords);

 private:
  size_t Index(int x, int y) const { return static_cast<size_t>(y) * size_ + x; }
  void DrawFinder(int cx, int cy);
  void DrawAlignment(int cx, int cy);
  void DrawVersionBits();

  int version_;
  int size_;
  std::vector<uint8_t> dark_;
  std::vector<uint8_t> function_;
};

// The format information modules for a level and mask: two copies of the
// 15 bits, plus the dark module.
std::vector<QrFixedModule> FormatModules(int size, QrEcc ecc, int mask) {
  const uint32_t bits = QrFormatBits(ecc, mask);
  const auto bit = [bits](int i) { return ((bits >> i) & 1) != 0; };
  std::vector<QrFixedModule> modules;
  modules.reserve(31);
  // First copy, around the top-left finder.
  for (int i = 0; i <= 5; ++i) modules.push_back({8, i, bit(i)});
  modules.push_back({8, 7, bit(6)});
  modules.push_back({8, 8, bit(7)});
  modules.push_back({7, 8, bit(8)});
  for (int i = 9; i < 15; ++i) modules.push_back({14 - i, 8, bit(i)});
  // Second copy, split between the other two finders.
  for (int i = 0; i < 8; ++i) modules.push_back({size - 1 - i, 8, bit(i)});
  for (int i = 8; i < 15; ++i) modules.push_back({8, size - 15 + i, bit(i)});
  modules.push_back({8, size - 8, true});  // the dark module
  return modules;
}

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
  for (const QrFixedModule& m : FormatModules(size_, ecc, mask)) SetFunction(m.x, m.y, m.dark);
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

// For every module, which of the eight masks invert it: bit m set when mask
// m applies (ISO/IEC 18004 Table 10); function modules are never masked.
// Computed once per symbol with table lookups instead of divisions.
std::vector<uint8_t> MaskBits(const Grid& grid) {
  const int size = grid.size();
  std::vector<uint8_t> bits(static_cast<size_t>(size) * size);
  for (int y = 0; y < size; ++y) {
    const int y2 = y % 2, y3 = y % 3, half_y = y / 2;
    for (int x = 0; x < size; ++x) {
      if (grid.function(x, y)) continue;
      const int x2 = x % 2, x3 = x % 3;
      const int product2 = x2 & y2, product3 = (x3 * y3) % 3;  // x·y mod 2 and mod 3
      uint8_t b = 0;
      b |= ((x + y) % 2 == 0) << 0;
      b |= (y2 == 0) << 1;
      b |= (x3 == 0) << 2;
      b |= ((x + y) % 3 == 0) << 3;
      b |= ((x / 3 + half_y) % 2 == 0) << 4;
      b |= (product2 + product3 == 0) << 5;
      b |= ((product2 + product3) % 2 == 0) << 6;
      b |= (((x + y) % 2 + product3) % 2 == 0) << 7;
      bits[static_cast<size_t>(y) * size + x] = b;
    }
  }
  return bits;
}

// Tries all eight masks on the unmasked grid and returns the one with the
// lowest penalty.
int ChooseMask(const Grid& grid, QrEcc ecc, const std::vector<uint8_t>& mask_bits) {
  const QrMaskScorer scorer(grid.modules(), mask_bits, grid.size());
  long best = std::numeric_limits<long>::max();
  int best_mask = 0;
  for (int mask = 0; mask < 8; ++mask) {
    const long penalty = scorer.Penalty(mask, FormatModules(grid.size(), ecc, mask));
    if (penalty < best) {
      best = penalty;
      best_mask = mask;
    }
  }
  return best_mask;
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
  const std::vector<uint8_t> bits = MaskBits(grid);
  if (mask < 0) mask = ChooseMask(grid, ecc, bits);
  std::vector<uint8_t>& modules = grid.modules();
  for (size_t i = 0; i < modules.size(); ++i) modules[i] ^= (bits[i] >> mask) & 1;
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
