// Base32 (RFC 4648, section 6) for TOTP secrets.
//
// Encoding uses the alphabet A-Z2-7 and never pads, because authenticator
// apps and otpauth URIs expect the bare form. Decoding forgives what people
// do when they copy a key by hand: lowercase letters, spaces and hyphens
// between groups, and trailing '=' padding. Anything else is refused with a
// message that names the problem but never echoes the text (it is a secret).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "shared/core/status.h"

namespace deskgate {

std::string Base32Encode(std::span<const uint8_t> bytes);

// Fails on characters outside the alphabet, on '=' before the last symbol,
// and on symbol counts no encoding produces (1, 3 or 6 modulo 8).
Result<std::vector<uint8_t>> Base32Decode(std::string_view text);

}  // namespace deskgate
