#include "shared/mfa/base32.h"

namespace deskgate {
namespace {

constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

// The 5-bit value of `c`, or -1 when `c` is not a base32 symbol.
int SymbolValue(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a';
  if (c >= '2' && c <= '7') return c - '2' + 26;
  return -1;
}

bool IsSeparator(char c) {
  return c == ' ' || c == '-';
}

// A whole number of bytes fits in these symbol counts modulo 8.
bool IsPossibleLength(size_t symbols) {
  const size_t tail = symbols % 8;
  return tail != 1 && tail != 3 && tail != 6;
}

Status BadCharacter(size_t position) {
  return Status::Error("base32: character " + std::to_string(position + 1) +
                       " is not a letter A-Z or a digit 2-7");
}

}  // namespace

std::string Base32Encode(std::span<const uint8_t> bytes) {
  std::string out;
  out.reserve((bytes.size() * 8 + 4) / 5);
  uint32_t buffer = 0;
  int bits = 0;
  for (uint8_t byte : bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out.push_back(kAlphabet[(buffer >> bits) & 0x1F]);
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(buffer << (5 - bits)) & 0x1F]);
  return out;
}

Result<std::vector<uint8_t>> Base32Decode(std::string_view text) {
  std::vector<uint8_t> out;
  out.reserve(text.size() * 5 / 8);
  uint32_t buffer = 0;
  int bits = 0;
  size_t symbols = 0;
  bool padding = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (IsSeparator(c)) continue;
    if (c == '=') {
      padding = true;
      continue;
    }
    const int value = SymbolValue(c);
    if (value < 0) return BadCharacter(i);
    if (padding) return Status::Error("base32: '=' padding may only appear at the end");
    buffer = (buffer << 5) | static_cast<uint32_t>(value);
    bits += 5;
    ++symbols;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<uint8_t>(buffer >> bits));
    }
  }
  if (!IsPossibleLength(symbols)) {
    return Status::Error("base32: the key has a character too many or too few");
  }
  return out;
}

}  // namespace deskgate
