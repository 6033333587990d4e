// When a password expires under a policy. Time is passed in (Unix seconds),
// since shared/ reads no clock.
#pragma once

#include <cstdint>

#include "shared/password/password_policy.h"

namespace deskgate {

struct PasswordExpiry {
  bool expires = false;    // false when the policy sets no expiry
  bool expired = false;    // now is at or past expires_at
  int64_t expires_at = 0;  // Unix seconds; 0 when the password never expires
  int64_t days_left = 0;   // whole days until expiry, rounded up; 0 once expired
};

PasswordExpiry EvaluateExpiry(const PasswordPolicy& policy, int64_t changed_at, int64_t now);

}  // namespace deskgate
