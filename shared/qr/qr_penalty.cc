#include "shared/qr/qr_penalty.h"

#include <bit>
#include <cstdlib>

#include "shared/qr/qr_code.h"

namespace deskgate {
namespace {

constexpr int kWords = 3;
using Line = std::array<uint64_t, kWords>;

bool Get(const Line& line, int i) {
  return (line[i >> 6] >> (i & 63)) & 1;
}
void Set(Line& line, int i, bool on) {
  const uint64_t bit = uint64_t{1} << (i & 63);
  line[i >> 6] = on ? line[i >> 6] | bit : line[i >> 6] & ~bit;
}

// Bit i of the result is bit i+1 of `line`.
Line ShiftDown(const Line& line) {
  Line out;
  for (int w = 0; w < kWords; ++w) {
    out[w] = line[w] >> 1 | (w + 1 < kWords ? line[w + 1] << 63 : 0);
  }
  return out;
}

// Bit i of the result is bit i-1 of `line` (bit 0 becomes 0).
Line ShiftUp(const Line& line) {
  Line out;
  for (int w = 0; w < kWords; ++w) out[w] = line[w] << 1 | (w > 0 ? line[w - 1] >> 63 : 0);
  return out;
}

// The low `n` bits set.
Line LowBits(int n) {
  Line out{};
  for (int w = 0; w < kWords; ++w) {
    const int bits = n - 64 * w;
    out[w] = bits >= 64 ? ~uint64_t{0} : bits <= 0 ? 0 : (uint64_t{1} << bits) - 1;
  }
  return out;
}

int PopCount(const Line& line) {
  int count = 0;
  for (uint64_t w : line) count += std::popcount(w);
  return count;
}

// Rules 1 and 3 for one line of `size` modules.
long LinePenalty(const Line& line, int size) {
  constexpr long kRunPenalty = 3, kFinderPenalty = 40;
  constexpr int kQuiet = QrCode::kQuietZone;
  // Run lengths, alternating colours and starting with a light run; the
  // quiet zone is added to the first and last light runs.
  std::array<int, 2 * kWords * 64 + 4> runs;
  int count = 0;
  runs[0] = kQuiet;
  bool colour = false;
  int start = 0;
  // Colour changes: bit i set when module i differs from module i-1.
  Line changes = ShiftUp(line);
  for (int w = 0; w < kWords; ++w) changes[w] = (changes[w] ^ line[w]) & LowBits(size)[w];
  changes[0] &= ~uint64_t{1};
  if (Get(line, 0)) {  // a dark first module: the leading light run is the quiet zone alone
    runs[++count] = 0;
    colour = true;
  }
  for (int w = 0; w < kWords; ++w) {
    for (uint64_t bits = changes[w]; bits != 0; bits &= bits - 1) {
      const int at = 64 * w + std::countr_zero(bits);
      runs[count] += at - start;
      start = at;
      runs[++count] = 0;
      colour = !colour;
    }
  }
  runs[count] += size - start;
  if (colour) runs[++count] = 0;
  runs[count] += kQuiet;

  long penalty = 0;
  for (int r = 0; r <= count; ++r) {
    const int inside = runs[r] - (r == 0 ? kQuiet : 0) - (r == count ? kQuiet : 0);
    if (inside >= 5) penalty += kRunPenalty + (inside - 5);
  }
  // Dark runs sit at odd indices; look for finder-like patterns centred on each.
  for (int c = 3; c + 3 <= count; c += 2) {
    const int n = runs[c] / 3;
    if (n == 0 || runs[c] != 3 * n || runs[c - 1] != n || runs[c + 1] != n || runs[c - 2] != n ||
        runs[c + 2] != n) {
      continue;
    }
    if (runs[c - 3] >= 4 * n) penalty += kFinderPenalty;
    if (runs[c + 3] >= 4 * n) penalty += kFinderPenalty;
  }
  return penalty;
}

}  // namespace

QrMaskScorer::QrMaskScorer(const std::vector<uint8_t>& modules,
                           const std::vector<uint8_t>& mask_bits, int size)
    : size_(size), rows_(size, Line{}), columns_(size, Line{}) {
  for (auto& v : mask_rows_) v.assign(size, Line{});
  for (auto& v : mask_columns_) v.assign(size, Line{});
  for (int y = 0; y < size; ++y) {
    for (int x = 0; x < size; ++x) {
      const size_t i = static_cast<size_t>(y) * size + x;
      if (modules[i]) {
        Set(rows_[y], x, true);
        Set(columns_[x], y, true);
      }
      for (int m = 0; m < 8; ++m) {
        if ((mask_bits[i] >> m) & 1) {
          Set(mask_rows_[m][y], x, true);
          Set(mask_columns_[m][x], y, true);
        }
      }
    }
  }
}

long QrMaskScorer::Penalty(int mask, const std::vector<QrFixedModule>& fixed) const {
  std::vector<Line> rows(size_), columns(size_);
  for (int i = 0; i < size_; ++i) {
    for (int w = 0; w < kWords; ++w) {
      rows[i][w] = rows_[i][w] ^ mask_rows_[mask][i][w];
      columns[i][w] = columns_[i][w] ^ mask_columns_[mask][i][w];
    }
  }
  for (const QrFixedModule& m : fixed) {
    Set(rows[m.y], m.x, m.dark);
    Set(columns[m.x], m.y, m.dark);
  }

  long penalty = 0;
  long dark = 0;
  const Line pairs = LowBits(size_ - 1);  // positions x with a neighbour x+1
  for (int i = 0; i < size_; ++i) {
    penalty += LinePenalty(rows[i], size_) + LinePenalty(columns[i], size_);
    dark += PopCount(rows[i]);
    if (i + 1 == size_) continue;
    // Rule 2: a 2×2 block at x when rows i and i+1 agree at x and x+1, and
    // row i agrees with itself between x and x+1.
    Line block;
    const Line same_vertical = [&] {
      Line s;
      for (int w = 0; w < kWords; ++w) s[w] = ~(rows[i][w] ^ rows[i + 1][w]);
      return s;
    }();
    const Line next_vertical = ShiftDown(same_vertical);
    const Line next_in_row = ShiftDown(rows[i]);
    for (int w = 0; w < kWords; ++w) {
      block[w] = same_vertical[w] & next_vertical[w] & ~(rows[i][w] ^ next_in_row[w]) & pairs[w];
    }
    penalty += 3L * PopCount(block);
  }
  // Rule 4: 10 points for each full 5 % that the dark share strays from 50 %.
  const long total = static_cast<long>(size_) * size_;
  penalty += std::labs(dark * 20 - total * 10) / total * 10;
  return penalty;
}

}  // namespace deskgate
