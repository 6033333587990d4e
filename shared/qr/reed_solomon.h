// Reed–Solomon error correction over GF(256) as QR codes use it
// (ISO/IEC 18004 §7.5.2): primitive polynomial x^8+x^4+x^3+x^2+1 (0x11D),
// generator polynomial with roots α^0 … α^(n-1).
#pragma once

#include <cstdint>
#include <vector>

namespace deskgate {

// Multiplies in GF(256).
uint8_t Gf256Multiply(uint8_t a, uint8_t b);

// The generator polynomial of the given degree, coefficients from the
// highest power down, leading 1 omitted (so `degree` coefficients).
std::vector<uint8_t> ReedSolomonGenerator(int degree);

// The `generator.size()` error-correction codewords for `data`.
std::vector<uint8_t> ReedSolomonRemainder(const std::vector<uint8_t>& data,
                                          const std::vector<uint8_t>& generator);

}  // namespace deskgate
