#include "shared/mfa/recovery_code.h"

#include <array>
#include <set>

#include <catch2/catch.hpp>

using deskgate::FormatRecoveryCode;
using deskgate::kRecoveryCodeBits;
using deskgate::kRecoveryCodeCount;
using deskgate::NormalizeRecoveryCode;

namespace {

constexpr std::string_view kAlphabet = "0123456789abcdefghjkmnpqrstvwxyz";

bool HasCodeShape(const std::string& code) {
  if (code.size() != 14 || code[4] != '-' || code[9] != '-') return false;
  for (size_t i = 0; i < code.size(); ++i) {
    if (i == 4 || i == 9) continue;
    if (kAlphabet.find(code[i]) == std::string_view::npos) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("Recovery codes show 60 bits as three groups of four", "[mfa][recovery]") {
  CHECK(kRecoveryCodeCount == 10);
  CHECK(kRecoveryCodeBits == 60);
  const std::array<uint8_t, 8> zeros{};
  CHECK(FormatRecoveryCode(zeros) == "0000-0000-0000");
  std::array<uint8_t, 8> ones;
  ones.fill(0xFF);
  CHECK(FormatRecoveryCode(ones) == "zzzz-zzzz-zzzz");
  const std::array<uint8_t, 8> counting{0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF};
  CHECK(FormatRecoveryCode(counting) == "04hm-asw9-nf6y");

  // Only the first 60 bits count: the low nibble of byte 8 and later bytes do not.
  const std::array<uint8_t, 10> longer{0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xE0, 0x55, 0xAA};
  CHECK(FormatRecoveryCode(longer) == "04hm-asw9-nf6y");

  const std::array<uint8_t, 7> short_input{1, 2, 3, 4, 5, 6, 7};
  CHECK(FormatRecoveryCode(short_input).empty());
  CHECK(FormatRecoveryCode({}).empty());
}

TEST_CASE("Each of the 60 bits changes the recovery code", "[mfa][recovery]") {
  const std::array<uint8_t, 8> base{0x3C, 0x91, 0x07, 0xE2, 0x5A, 0x18, 0xB4, 0x60};
  std::set<std::string> codes = {FormatRecoveryCode(base)};
  for (int bit = 0; bit < kRecoveryCodeBits; ++bit) {
    std::array<uint8_t, 8> flipped = base;
    flipped[bit / 8] ^= static_cast<uint8_t>(0x80 >> (bit % 8));
    const std::string code = FormatRecoveryCode(flipped);
    CHECK(HasCodeShape(code));
    CHECK(NormalizeRecoveryCode(code) == code);
    codes.insert(code);
  }
  CHECK(codes.size() == kRecoveryCodeBits + 1);
}

TEST_CASE("Typed recovery codes are normalised", "[mfa][recovery]") {
  const std::string canonical = "4hm0-asw9-nf6y";
  const std::string_view typed[] = {
      "4hm0-asw9-nf6y",     "4HM0-ASW9-NF6Y",        "4hm0asw9nf6y",   "4hm0 asw9 nf6y",
      "  4hm0-asw9-nf6y\n", "\t4HM0 - ASW9 - NF6Y ", "4hmo-asw9-nf6y", "4HMO-ASW9-NF6Y",
      "4h m0a-sw9n--f6y",   "--4hm0asw9nf6y--",
  };
  for (std::string_view text : typed) {
    INFO(text);
    CHECK(NormalizeRecoveryCode(text) == canonical);
  }
  CHECK(NormalizeRecoveryCode("oOiI-lL00-1111") == "0011-1100-1111");
}

TEST_CASE("Malformed recovery codes are refused", "[mfa][recovery]") {
  const std::string_view refused[] = {
      "",
      "   ",
      "----",
      "4hm0-asw9-nf6",          // 11 symbols
      "4hm0-asw9-nf6yy",        // 13 symbols
      "4hm0-asw9-nf6u",         // u is not in the alphabet
      "4hm0-asw9-nf6!",         // punctuation
      "4hm0_asw9_nf6y",         // underscores are not separators
      "4hm0\tasw9-nf6y",        // tabs only trimmed at the ends
      "4hm0-asw9-nf6\xC3\xBD",  // non-ASCII
      "4hm0-asw9-nf6y-4hm0-asw9-nf6y",
  };
  for (std::string_view text : refused) {
    INFO(text);
    CHECK_FALSE(NormalizeRecoveryCode(text).has_value());
  }
}
