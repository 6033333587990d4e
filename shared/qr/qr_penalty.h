// Scoring masked QR symbols by the four penalty rules of ISO/IEC 18004
// §7.8.3: (1) runs of five or more same-coloured modules in a row or
// column, (2) 2×2 blocks of one colour, (3) finder-like 1:1:3:1:1 patterns
// with four light modules on a side, (4) a dark share far from 50 %.
//
// The encoder scores all eight masks, which dominates its run time, so the
// symbol is held as bit rows and bit columns: masking is a word XOR, rules
// 2 and 4 are popcounts, and rules 1 and 3 visit colour changes only.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

namespace deskgate {

// A module whose colour is fixed after masking (format information).
struct QrFixedModule {
  int x;
  int y;
  bool dark;
};

class QrMaskScorer {
 public:
  // `modules`: the unmasked symbol, row-major, 1 = dark. `mask_bits`: per
  // module, bit m set when mask m inverts it (0 for function modules).
  QrMaskScorer(const std::vector<uint8_t>& modules, const std::vector<uint8_t>& mask_bits,
               int size);

  // The penalty of the symbol under `mask` with `fixed` modules drawn on top.
  long Penalty(int mask, const std::vector<QrFixedModule>& fixed) const;

 private:
  static constexpr int kWords = 3;  // 177 modules at most per line
  using Line = std::array<uint64_t, kWords>;

  int size_;
  std::vector<Line> rows_, columns_;  // unmasked
  std::array<std::vector<Line>, 8> mask_rows_, mask_columns_;
};

}  // namespace deskgate
