// PasswordPolicy: the password section of a portal's authentication settings.
//
// Defaults follow NIST SP 800-63B §5.1.1 and OWASP ASVS 4.0.3 §2.1: at least
// 12 characters, no composition rules, no periodic expiry, no reuse rule;
// every rule an admin may want (character classes, expiry, reuse history)
// stays available. Common passwords and passwords containing the user's name
// or email are always refused.
#pragma once

#include <string>
#include <string_view>

#include "shared/core/json_fields.h"
#include "shared/core/status.h"

namespace deskgate {

struct PasswordPolicy {
  // Below 8 no policy may go: NIST's floor for user-chosen secrets, and the
  // shortest entry of the common-password set (see common_passwords.h).
  static constexpr FieldRange kMinLengthRange{8, 128};
  static constexpr FieldRange kMaxLengthRange{64, 1024};
  static constexpr FieldRange kExpiryDaysRange{0, 3650};
  static constexpr FieldRange kReuseHistoryRange{0, 24};

  int min_length = 12;
  int max_length = 128;
  bool require_uppercase = false;
  bool require_lowercase = false;
  bool require_digit = false;
  bool require_symbol = false;
  int expiry_days = 0;    // 0 = passwords never expire
  int reuse_history = 0;  // how many previous passwords may not be reused; 0 = off

  bool operator==(const PasswordPolicy&) const = default;
};

// Parses the JSON form (an object). A missing field keeps its default; an
// unknown field, a wrong type or a value out of range is an error whose
// message names the field and what is allowed.
Result<PasswordPolicy> ParsePasswordPolicy(std::string_view json);
// The same for an object already parsed (the settings document's section).
Result<PasswordPolicy> PasswordPolicyFromJson(const JsonValue& object);

// The JSON form with every field, in declaration order.
std::string PasswordPolicyToJson(const PasswordPolicy& policy);

}  // namespace deskgate
