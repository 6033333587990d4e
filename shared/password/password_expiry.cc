#include "shared/password/password_expiry.h"

namespace deskgate {

PasswordExpiry EvaluateExpiry(const PasswordPolicy& policy, int64_t changed_at, int64_t now) {
  constexpr int64_t kDay = 86400;
  PasswordExpiry expiry;
  if (policy.expiry_days <= 0) return expiry;
  expiry.expires = true;
  expiry.expires_at = changed_at + int64_t{policy.expiry_days} * kDay;
  expiry.expired = now >= expiry.expires_at;
  if (!expiry.expired) expiry.days_left = (expiry.expires_at - now + kDay - 1) / kDay;
  return expiry;
}

}  // namespace deskgate
