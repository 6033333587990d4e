#include "shared/mfa/recovery_code.h"

namespace deskgate {
namespace {

constexpr std::string_view kAlphabet = "0123456789abcdefghjkmnpqrstvwxyz";
constexpr size_t kSymbols = kRecoveryCodeBits / 5;
constexpr size_t kGroup = 4;
constexpr size_t kRandomBytes = 8;

std::string WithHyphens(std::string_view symbols) {
  std::string out;
  out.reserve(symbols.size() + symbols.size() / kGroup);
  for (size_t i = 0; i < symbols.size(); ++i) {
    if (i > 0 && i % kGroup == 0) out.push_back('-');
    out.push_back(symbols[i]);
  }
  return out;
}

bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && IsAsciiSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsAsciiSpace(text.back())) text.remove_suffix(1);
  return text;
}

// The alphabet symbol `c` stands for once typing slips are forgiven, or
// '\0' when it stands for none.
char Canonical(char c) {
  if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  if (c == 'o') return '0';
  if (c == 'i' || c == 'l') return '1';
  return kAlphabet.find(c) == std::string_view::npos ? '\0' : c;
}

}  // namespace

std::string FormatRecoveryCode(std::span<const uint8_t> random) {
  if (random.size() < kRandomBytes) return "";
  uint64_t bits = 0;
  for (size_t i = 0; i < kRandomBytes; ++i) bits = (bits << 8) | random[i];
  std::string symbols(kSymbols, '0');
  for (size_t i = 0; i < kSymbols; ++i) {
    const size_t shift = 64 - 5 * (i + 1);  // most significant symbol first
    symbols[i] = kAlphabet[(bits >> shift) & 0x1F];
  }
  return WithHyphens(symbols);
}

std::optional<std::string> NormalizeRecoveryCode(std::string_view typed) {
  std::string symbols;
  symbols.reserve(kSymbols);
  for (char c : Trim(typed)) {
    if (c == ' ' || c == '-') continue;
    const char symbol = Canonical(c);
    if (symbol == '\0' || symbols.size() == kSymbols) return std::nullopt;
    symbols.push_back(symbol);
  }
  if (symbols.size() != kSymbols) return std::nullopt;
  return WithHyphens(symbols);
}

}  // namespace deskgate
