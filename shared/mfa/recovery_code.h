// Recovery codes: one-time MFA fallbacks that people read aloud, write on
// paper and type back in.
//
// A code carries 60 random bits as 12 symbols of Crockford's base32 in
// lowercase ("0123456789abcdefghjkmnpqrstvwxyz": no i, l, o or u), shown as
// three groups of four: "xxxx-xxxx-xxxx". Typing is forgiving: case, spaces
// and hyphens do not matter, and o, i and l are read as 0, 1 and 1.
// The random bytes come from the caller; nothing here draws randomness.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace deskgate {

constexpr int kRecoveryCodeCount = 10;  // codes issued at once
constexpr int kRecoveryCodeBits = 60;   // random bits per code

// Formats the first 60 bits (big-endian) of `random`, which must hold at
// least 8 bytes; with fewer it returns "" so no weak code can be issued.
std::string FormatRecoveryCode(std::span<const uint8_t> random);

// The canonical "xxxx-xxxx-xxxx" form of what someone typed, or nullopt if
// it is not exactly 12 symbols of the alphabet after normalising.
std::optional<std::string> NormalizeRecoveryCode(std::string_view typed);

}  // namespace deskgate
