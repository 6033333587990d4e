// Base64url (RFC 4648 §5) without padding, the encoding of JSON Web Tokens
// and of PKCE challenges.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace deskgate {

std::string EncodeBase64Url(std::string_view bytes);

// Strict: only the URL-safe alphabet, no padding, no whitespace, and unused
// low bits of the last character zero, so each byte string has exactly one
// accepted encoding. nullopt for anything else.
std::optional<std::string> DecodeBase64Url(std::string_view text);

}  // namespace deskgate
