// One-time passwords: HOTP (RFC 4226) and TOTP (RFC 6238) with HMAC-SHA-1.
//
// MatchTotp enforces the rules of the design handbook: a code is accepted
// for the previous, current or next 30-second step, never twice, and never
// after a newer one was used. Codes are compared in constant time and all
// three candidate steps are always checked.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "shared/mfa/one_time_code.h"

namespace deskgate::crypto {

constexpr int64_t kTotpStep = 30;  // seconds per time step

// The HOTP value of `key` at `counter`, zero-padded to `digits` (1 to 9).
std::string HotpCode(std::span<const uint8_t> key, uint64_t counter, int digits = 6);

// The time step containing `unix_time` (floor division, so it also holds
// before 1970).
int64_t TotpStep(int64_t unix_time);

// The step whose code `code` is (exactly 6 ASCII digits), looking at the
// steps around `unix_time`, provided that step is later than
// `last_used_step` (pass -1 when no code was used yet). The caller must
// store the returned step as the new last_used_step in the same
// transaction that accepts the login. Should one code match two steps, the
// later one is returned, so the code cannot be replayed against the other.
std::optional<int64_t> MatchTotp(std::span<const uint8_t> key, std::string_view code,
                                 int64_t unix_time, int64_t last_used_step);

}  // namespace deskgate::crypto
