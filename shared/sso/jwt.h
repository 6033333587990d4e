// Jwt: the parts of a compact JSON Web Signature (RFC 7515) as an OpenID
// provider sends an ID token. Parsing checks the shape only; the signature
// is verified by the caller (server/crypto) over `signing_input`, and the
// claims by CheckIdToken.
#pragma once

#include <string>
#include <string_view>

#include "shared/core/json_value.h"
#include "shared/core/status.h"

namespace deskgate {

struct Jwt {
  std::string alg;            // header "alg", e.g. "RS256"
  std::string kid;            // header "kid", "" when absent
  std::string signing_input;  // base64url(header) "." base64url(payload), as received
  std::string signature;      // decoded bytes
  JsonValue claims;           // the payload, a JSON object
};

// Tokens larger than this are refused before any decoding.
inline constexpr size_t kMaxJwtBytes = 16 * 1024;

// Three base64url parts separated by dots, a header object with a string
// "alg", and a payload object. Encrypted (five-part) tokens are refused.
Result<Jwt> ParseJwt(std::string_view compact);

}  // namespace deskgate
