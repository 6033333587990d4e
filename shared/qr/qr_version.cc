#include "shared/qr/qr_version.h"

#include <array>

namespace deskgate {
namespace {

using VersionTable = std::array<int8_t, 41>;  // indexed by version; [0] unused

// ISO/IEC 18004:2015 Table 9, per error-correction level (L, M, Q, H).
constexpr std::array<VersionTable, 4> kEccCodewordsPerBlock = {{
    {-1, 7,  10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28,
     28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30},
    {-1, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26,
     26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28},
    {-1, 13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30,
     28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30},
    {-1, 17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28,
     30, 24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30},
}};

constexpr std::array<VersionTable, 4> kEccBlocks = {{
    {-1, 1, 1, 1,  1,  1,  2,  2,  2,  2,  4,  4,  4,  4,  4,  6,  6,  6,  6,  7, 8,
     8,  9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25},
    {-1, 1,  1,  1,  2,  2,  4,  4,  4,  5,  5,  5,  8,  9,  9,  10, 10, 11, 13, 14, 16,
     17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49},
    {-1, 1,  1,  2,  2,  4,  4,  6,  6,  8,  8,  8,  10, 12, 16, 12, 17, 16, 18, 21, 20,
     23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68},
    {-1, 1,  1,  2,  4,  4,  4,  5,  6,  8,  8,  11, 11, 16, 16, 18, 16, 19, 21, 25, 25,
     25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81},
}};

// Format information encodes the level with these two bits (not in L-M-Q-H order).
constexpr std::array<uint32_t, 4> kEccFormatBits = {1, 0, 3, 2};

}  // namespace

int QrTotalCodewords(int version) {
  // Modules left for data after every function pattern, in bits.
  int bits = (16 * version + 128) * version + 64;
  if (version >= 2) {
    const int alignments = version / 7 + 2;
    bits -= (25 * alignments - 10) * alignments - 55;
    if (version >= 7) bits -= 36;  // two version information blocks
  }
  return bits / 8;
}

int QrEccCodewordsPerBlock(int version, QrEcc ecc) {
  return kEccCodewordsPerBlock[static_cast<int>(ecc)][version];
}

int QrEccBlocks(int version, QrEcc ecc) {
  return kEccBlocks[static_cast<int>(ecc)][version];
}

int QrDataCodewords(int version, QrEcc ecc) {
  return QrTotalCodewords(version) -
         QrEccCodewordsPerBlock(version, ecc) * QrEccBlocks(version, ecc);
}

std::vector<int> QrAlignmentPositions(int version) {
  if (version == 1) return {};
  const int count = version / 7 + 2;
  // Even spacing from the last position back to 6; version 32 is the one
  // exception to the rounding rule.
  const int step = version == 32 ? 26 : (version * 4 + count * 2 + 1) / (count * 2 - 2) * 2;
  std::vector<int> positions(count);
  positions[0] = 6;
  for (int i = count - 1, pos = QrSize(version) - 7; i >= 1; --i, pos -= step) positions[i] = pos;
  return positions;
}

uint32_t QrFormatBits(QrEcc ecc, int mask) {
  const uint32_t data = kEccFormatBits[static_cast<int>(ecc)] << 3 | static_cast<uint32_t>(mask);
  uint32_t remainder = data;
  for (int i = 0; i < 10; ++i) remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537);
  return (data << 10 | (remainder & 0x3FF)) ^ 0x5412;
}

uint32_t QrVersionBits(int version) {
  uint32_t remainder = static_cast<uint32_t>(version);
  for (int i = 0; i < 12; ++i) remainder = (remainder << 1) ^ ((remainder >> 11) * 0x1F25);
  return static_cast<uint32_t>(version) << 12 | (remainder & 0xFFF);
}

}  // namespace deskgate
