// The shape of a one-time code, as the server accepts it and the pages
// check it while the person types: six ASCII digits, for authenticator-app
// (TOTP, RFC 6238) and emailed codes alike.
#pragma once

#include <string_view>

namespace deskgate {

inline constexpr int kOneTimeCodeDigits = 6;

// True when `code` is exactly kOneTimeCodeDigits ASCII digits.
constexpr bool IsOneTimeCodeFormat(std::string_view code) {
  if (code.size() != static_cast<size_t>(kOneTimeCodeDigits)) return false;
  for (char c : code) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace deskgate
