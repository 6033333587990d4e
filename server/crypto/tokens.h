// Random tokens and their digests, for sessions and one-time links.
#pragma once

#include <string>
#include <string_view>

namespace deskgate::crypto {

// 256 random bits, base64url without padding (43 characters).
std::string RandomToken();

// SHA-256 of `text`, hex; what the database stores instead of a token.
std::string Sha256Hex(std::string_view text);

// SHA-256 of `text`, base64url without padding: a PKCE S256 code challenge.
std::string Sha256Base64Url(std::string_view text);

// Compares in time independent of where the inputs differ.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace deskgate::crypto
