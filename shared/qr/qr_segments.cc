#include "shared/qr/qr_segments.h"

#include <algorithm>
#include <array>
#include <limits>

namespace deskgate {
namespace {

constexpr std::string_view kAlphanumeric = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
constexpr int kModes = 3;

int AlphanumericValue(unsigned char c) {
  const size_t pos = kAlphanumeric.find(static_cast<char>(c));
  return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
}

bool Fits(QrMode mode, unsigned char c) {
  switch (mode) {
    case QrMode::kNumeric:
      return c >= '0' && c <= '9';
    case QrMode::kAlphanumeric:
      return AlphanumericValue(c) >= 0;
    case QrMode::kByte:
      return true;
  }
  return false;
}

uint32_t ModeIndicator(QrMode mode) {
  switch (mode) {
    case QrMode::kNumeric:
      return 0x1;
    case QrMode::kAlphanumeric:
      return 0x2;
    case QrMode::kByte:
      return 0x4;
  }
  return 0;
}

// Width of the character-count field (ISO/IEC 18004 Table 3).
int CountBits(QrMode mode, int version) {
  const int group = version <= 9 ? 0 : version <= 26 ? 1 : 2;
  static constexpr int kBits[3][3] = {{10, 12, 14}, {9, 11, 13}, {8, 16, 16}};
  return kBits[static_cast<int>(mode)][group];
}

// Data bits for `count` characters in a mode.
size_t DataBits(QrMode mode, size_t count) {
  switch (mode) {
    case QrMode::kNumeric:
      return count / 3 * 10 + (count % 3 == 2 ? 7 : count % 3 == 1 ? 4 : 0);
    case QrMode::kAlphanumeric:
      return count / 2 * 11 + (count % 2) * 6;
    case QrMode::kByte:
      return count * 8;
  }
  return 0;
}

}  // namespace

void BitWriter::Append(uint32_t value, int bits) {
  for (int i = bits - 1; i >= 0; --i) {
    if (bit_count_ % 8 == 0) bytes_.push_back(0);
    if ((value >> i) & 1) bytes_.back() |= static_cast<uint8_t>(0x80 >> (bit_count_ % 8));
    ++bit_count_;
  }
}

std::vector<QrSegment> SegmentOptimally(std::string_view payload, int version) {
  // Dynamic programming over the payload. Costs are in sixths of a bit so
  // the fractional per-character costs are whole: numeric 10/3 bits,
  // alphanumeric 11/2, byte 8. Switching into a mode pays its header.
  const size_t n = payload.size();
  if (n == 0) return {};
  constexpr size_t kInfinite = std::numeric_limits<size_t>::max() / 2;
  constexpr std::array<size_t, kModes> kCharCost = {20, 33, 48};
  std::array<size_t, kModes> header{};
  for (int m = 0; m < kModes; ++m) header[m] = (4 + CountBits(QrMode(m), version)) * 6;

  // previous_mode[i][m]: the mode of character i-1 on the cheapest path that
  // encodes character i in mode m.
  std::vector<std::array<int8_t, kModes>> previous_mode(n);
  std::array<size_t, kModes> cost{};
  for (size_t i = 0; i < n; ++i) {
    const auto c = static_cast<unsigned char>(payload[i]);
    std::array<size_t, kModes> next;
    for (int m = 0; m < kModes; ++m) {
      next[m] = kInfinite;
      if (!Fits(QrMode(m), c)) continue;
      for (int p = 0; p < kModes; ++p) {
        // For the first character every mode starts with a header.
        const size_t via =
            i == 0 ? (p == m ? header[m] : kInfinite) : cost[p] + (p == m ? 0 : header[m]);
        if (via + kCharCost[m] < next[m]) {
          next[m] = via + kCharCost[m];
          previous_mode[i][m] = static_cast<int8_t>(p);
        }
      }
    }
    cost = next;
  }

  // Walk back from the cheapest final mode, then merge runs into segments.
  int mode = 0;
  for (int m = 1; m < kModes; ++m) {
    if (cost[m] < cost[mode]) mode = m;
  }
  std::vector<int> modes(n);
  for (size_t i = n; i-- > 0;) {
    modes[i] = mode;
    mode = previous_mode[i][mode];
  }
  std::vector<QrSegment> segments;
  for (size_t i = 0; i < n; ++i) {
    if (segments.empty() || segments.back().mode != QrMode(modes[i])) {
      segments.push_back({QrMode(modes[i]), i, i});
    }
    segments.back().end = i + 1;
  }
  return segments;
}

size_t SegmentBits(const std::vector<QrSegment>& segments, int version) {
  size_t bits = 0;
  for (const QrSegment& s : segments) {
    const int count_bits = CountBits(s.mode, version);
    const size_t count = s.end - s.begin;
    if (count >= (size_t{1} << count_bits)) return std::numeric_limits<size_t>::max();
    bits += 4 + count_bits + DataBits(s.mode, count);
  }
  return bits;
}

void WriteSegments(std::string_view payload, const std::vector<QrSegment>& segments, int version,
                   BitWriter& out) {
  for (const QrSegment& s : segments) {
    out.Append(ModeIndicator(s.mode), 4);
    out.Append(static_cast<uint32_t>(s.end - s.begin), CountBits(s.mode, version));
    const std::string_view text = payload.substr(s.begin, s.end - s.begin);
    switch (s.mode) {
      case QrMode::kNumeric:
        for (size_t i = 0; i < text.size(); i += 3) {
          const size_t digits = std::min<size_t>(3, text.size() - i);
          uint32_t value = 0;
          for (size_t j = 0; j < digits; ++j) value = value * 10 + (text[i + j] - '0');
          out.Append(value, digits == 3 ? 10 : digits == 2 ? 7 : 4);
        }
        break;
      case QrMode::kAlphanumeric:
        for (size_t i = 0; i < text.size(); i += 2) {
          const int first = AlphanumericValue(static_cast<unsigned char>(text[i]));
          if (i + 1 < text.size()) {
            out.Append(first * 45 + AlphanumericValue(static_cast<unsigned char>(text[i + 1])), 11);
          } else {
            out.Append(first, 6);
          }
        }
        break;
      case QrMode::kByte:
        for (char c : text) out.Append(static_cast<unsigned char>(c), 8);
        break;
    }
  }
}

}  // namespace deskgate
