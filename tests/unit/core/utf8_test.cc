#include "shared/core/utf8.h"

#include <catch2/catch.hpp>

using deskgate::DecodeUtf8;
using deskgate::EncodeUtf8;
using deskgate::IsValidUtf8;

TEST_CASE("UTF-8 decoding counts code points", "[utf8]") {
  CHECK(DecodeUtf8("abc").code_points == U"abc");
  CHECK(DecodeUtf8("h\xC3\xA9llo").code_points == U"h\u00E9llo");                // é, 2 bytes
  CHECK(DecodeUtf8("\xE6\x97\xA5\xE6\x9C\xAC").code_points == U"\u65E5\u672C");  // 日本
  CHECK(DecodeUtf8("\xF0\x9F\x94\x91").code_points == U"\U0001F511");            // 🔑
  CHECK(DecodeUtf8("e\xCC\x81").code_points.size() == 2);                  // e + combining acute
  CHECK(DecodeUtf8(std::string_view("a\0b", 3)).code_points.size() == 3);  // NUL is a code point
}

TEST_CASE("Invalid UTF-8 is replaced, never trusted", "[utf8]") {
  struct Case {
    std::string_view bytes;
    size_t code_points;
  };
  const Case cases[] = {
      {"\xFF", 1},              // never valid
      {"\x80", 1},              // lone continuation
      {"\xC0\xAF", 2},          // overlong '/': C0 cannot lead
      {"\xE0\x80\xAF", 3},      // overlong 3-byte form
      {"\xED\xA0\x80", 3},      // UTF-16 surrogate D800
      {"\xF4\x90\x80\x80", 4},  // above U+10FFFF
      {"\xE6\x97", 1},          // truncated sequence: one maximal subpart
      {"a\xE6\x97z", 3},        // truncated in the middle
      {"\xF0\x9F\x94", 1},      // truncated 4-byte sequence
  };
  for (const Case& c : cases) {
    INFO("bytes of length " << c.bytes.size());
    const auto decoded = DecodeUtf8(c.bytes);
    CHECK_FALSE(decoded.valid);
    CHECK(decoded.code_points.size() == c.code_points);
    CHECK(decoded.code_points.find(U'\uFFFD') != std::u32string::npos);
  }
}

TEST_CASE("Encoding round-trips every range boundary", "[utf8]") {
  const std::u32string samples = {0x0,    0x7F,   0x80,   0x7FF,   0x800,
                                  0xD7FF, 0xE000, 0xFFFF, 0x10000, 0x10FFFF};
  const std::string encoded = EncodeUtf8(samples);
  CHECK(IsValidUtf8(encoded));
  CHECK(DecodeUtf8(encoded).code_points == samples);
}
