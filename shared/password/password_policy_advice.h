// Where a password policy departs from NIST SP 800-63B and OWASP ASVS 4.0.3.
// The settings page shows these notes beside the fields, so admins choose
// knowingly; the rules stay available because some organisations must
// follow older standards.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "shared/password/password_policy.h"

namespace deskgate {

struct PolicyAdvice {
  std::string_view field;  // the policy field the note belongs to
  std::string note;
};

std::vector<PolicyAdvice> AdviseOnPolicy(const PasswordPolicy& policy);

// [{"field","note"}…]
std::string PolicyAdviceToJson(const std::vector<PolicyAdvice>& advice);

}  // namespace deskgate
