// Strict UTF-8 decoding (RFC 3629): overlong forms, surrogates and code
// points above U+10FFFF are invalid.
#pragma once

#include <string>
#include <string_view>

namespace deskgate {

struct DecodedText {
  std::u32string code_points;  // invalid sequences appear as U+FFFD
  bool valid = true;           // false if any replacement was made
};

// Decodes `bytes`, replacing each maximal invalid subpart with U+FFFD (the
// Unicode "substitution of maximal subparts" practice), so the result is the
// same on every platform and never fails.
DecodedText DecodeUtf8(std::string_view bytes);

bool IsValidUtf8(std::string_view bytes);

void AppendUtf8(std::string& out, char32_t code_point);
std::string EncodeUtf8(std::u32string_view code_points);

}  // namespace deskgate
