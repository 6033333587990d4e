#include "shared/qr/reed_solomon.h"

#include <array>
#include <cstddef>

namespace deskgate {
namespace {

// Log and antilog tables for GF(256) with generator α = 2, built once.
struct GaloisTables {
  std::array<uint8_t, 512> exp{};  // doubled so exp[log a + log b] needs no modulo
  std::array<int, 256> log{};
  GaloisTables() {
    int x = 1;
    for (int i = 0; i < 255; ++i) {
      exp[i] = exp[i + 255] = static_cast<uint8_t>(x);
      log[x] = i;
      x <<= 1;
      if (x & 0x100) x ^= 0x11D;
    }
  }
};

const GaloisTables& Tables() {
  static const GaloisTables tables;
  return tables;
}

}  // namespace

uint8_t Gf256Multiply(uint8_t a, uint8_t b) {
  if (a == 0 || b == 0) return 0;
  const GaloisTables& t = Tables();
  return t.exp[t.log[a] + t.log[b]];
}

std::vector<uint8_t> ReedSolomonGenerator(int degree) {
  // Start with 1 and multiply by (x - α^i) for i = 0 … degree-1. In GF(256)
  // subtraction is XOR. coefficients[0] is the highest non-leading term.
  std::vector<uint8_t> coefficients(degree, 0);
  coefficients[degree - 1] = 1;
  uint8_t root = 1;
  for (int i = 0; i < degree; ++i) {
    for (int j = 0; j < degree; ++j) {
      coefficients[j] = Gf256Multiply(coefficients[j], root);
      if (j + 1 < degree) coefficients[j] ^= coefficients[j + 1];
    }
    root = Gf256Multiply(root, 2);
  }
  return coefficients;
}

std::vector<uint8_t> ReedSolomonRemainder(const std::vector<uint8_t>& data,
                                          const std::vector<uint8_t>& generator) {
  const GaloisTables& t = Tables();
  std::vector<int> generator_log(generator.size());
  for (size_t i = 0; i < generator.size(); ++i) {
    generator_log[i] = generator[i] ? t.log[generator[i]] : -1;
  }
  // Polynomial long division; the register holds the running remainder.
  std::vector<uint8_t> remainder(generator.size(), 0);
  for (uint8_t byte : data) {
    const uint8_t factor = byte ^ remainder[0];
    remainder.erase(remainder.begin());
    remainder.push_back(0);
    if (factor == 0) continue;
    const int factor_log = t.log[factor];
    for (size_t i = 0; i < remainder.size(); ++i) {
      if (generator_log[i] >= 0) remainder[i] ^= t.exp[generator_log[i] + factor_log];
    }
  }
  return remainder;
}

}  // namespace deskgate
