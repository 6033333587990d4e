// Per-version facts of QR Code Model 2 (ISO/IEC 18004:2015): symbol size,
// codeword capacity and error-correction block structure, alignment pattern
// positions, and the BCH-coded format and version information.
#pragma once

#include <cstdint>
#include <vector>

namespace deskgate {

enum class QrEcc { kLow, kMedium, kQuartile, kHigh };  // L M Q H: ~7/15/25/30 % recovery

inline constexpr int kQrMinVersion = 1;
inline constexpr int kQrMaxVersion = 40;

inline int QrSize(int version) {
  return 17 + 4 * version;
}

// Codewords (8-bit) the symbol holds in total, data and error correction.
int QrTotalCodewords(int version);
int QrDataCodewords(int version, QrEcc ecc);
int QrEccCodewordsPerBlock(int version, QrEcc ecc);
int QrEccBlocks(int version, QrEcc ecc);

// Centre coordinates of the alignment patterns along each axis.
std::vector<int> QrAlignmentPositions(int version);

// The 15-bit format information for a level and mask (0–7), BCH(15,5) coded
// and XORed with 0x5412.
uint32_t QrFormatBits(QrEcc ecc, int mask);

// The 18-bit version information, BCH(18,6) coded; versions 7 and up only.
uint32_t QrVersionBits(int version);

}  // namespace deskgate
