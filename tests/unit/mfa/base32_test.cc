#include "shared/mfa/base32.h"

#include <random>

#include <catch2/catch.hpp>

using deskgate::Base32Decode;
using deskgate::Base32Encode;

namespace {

std::span<const uint8_t> Bytes(std::string_view text) {
  return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

std::string DecodeToString(std::string_view text) {
  auto decoded = Base32Decode(text);
  REQUIRE(decoded.ok());
  return {decoded.value().begin(), decoded.value().end()};
}

}  // namespace

TEST_CASE("Base32 matches the RFC 4648 test vectors", "[mfa][base32]") {
  const std::pair<std::string_view, std::string_view> vectors[] = {
      {"", ""},
      {"f", "MY"},
      {"fo", "MZXQ"},
      {"foo", "MZXW6"},
      {"foob", "MZXW6YQ"},
      {"fooba", "MZXW6YTB"},
      {"foobar", "MZXW6YTBOI"},
  };
  for (const auto& [plain, encoded] : vectors) {
    INFO(plain);
    CHECK(Base32Encode(Bytes(plain)) == encoded);
    CHECK(DecodeToString(encoded) == plain);
  }
}

TEST_CASE("Base32 round-trips bytes of every length", "[mfa][base32]") {
  std::mt19937 random(20261128);
  std::uniform_int_distribution<int> byte(0, 255);
  for (size_t length = 0; length <= 64; ++length) {
    std::vector<uint8_t> bytes(length);
    for (uint8_t& b : bytes) b = static_cast<uint8_t>(byte(random));
    const std::string encoded = Base32Encode(bytes);
    INFO(encoded);
    CHECK(encoded.size() == (length * 8 + 4) / 5);
    CHECK(encoded.find('=') == std::string::npos);
    auto decoded = Base32Decode(encoded);
    REQUIRE(decoded.ok());
    CHECK(decoded.value() == bytes);
  }
}

TEST_CASE("Base32 decoding forgives case, spaces, hyphens and padding", "[mfa][base32]") {
  CHECK(DecodeToString("mzxw6ytboi") == "foobar");
  CHECK(DecodeToString("MzXw6YtBoI") == "foobar");
  CHECK(DecodeToString("MZXW 6YTB OI") == "foobar");
  CHECK(DecodeToString("mzxw-6ytb-oi") == "foobar");
  CHECK(DecodeToString(" MZXW6YTBOI ") == "foobar");
  CHECK(DecodeToString("MY======") == "f");
  CHECK(DecodeToString("MZXW6YQ=") == "foob");
  CHECK(DecodeToString("MZXW6===") == "foo");
  CHECK(DecodeToString("MZXQ====") == "fo");
}

TEST_CASE("Base32 decoding refuses other characters and impossible lengths", "[mfa][base32]") {
  const std::string_view bad_characters[] = {"MZXW1", "MZXW0", "MZXW8",       "MZ!W6", "MZXW6\n",
                                             "MZ_XW", "MZ.XW", "M\xC3\xA9XW", "MZ+W6"};
  for (std::string_view text : bad_characters) {
    INFO(text);
    auto decoded = Base32Decode(text);
    REQUIRE_FALSE(decoded.ok());
    CHECK(decoded.error().rfind("base32: character ", 0) == 0);
  }
  CHECK(Base32Decode("MZXW1").error() == "base32: character 5 is not a letter A-Z or a digit 2-7");

  CHECK(Base32Decode("MY==MY").error() == "base32: '=' padding may only appear at the end");
  for (std::string_view text : {"M", "MZX", "MZXW6Y", "MZXW6YTBO", "M=======", "MZX== ="}) {
    INFO(text);
    CHECK(Base32Decode(text).error() == "base32: the key has a character too many or too few");
  }
}
