// Judging a new password, the one place every path that sets one goes
// through (change, forgotten-password reset, invitation): the portal's
// policy as the browser checked it, plus the reuse rule, which only the
// server can check (it compares against the person's hashed history).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "server/crypto/password_hasher.h"
#include "server/store/people_store.h"
#include "shared/password/password_policy.h"

namespace deskgate::services {

struct PasswordOwner {
  int64_t person_id = 0;  // 0: nobody yet (no history to compare with)
  std::string email;
  std::string name;
};

// The hash of `password` when the policy allows it; otherwise
// kInvalidArgument "FIELD: what is wrong" (never repeating the password).
Result<std::string> HashNewPassword(store::PeopleStore& people, crypto::PasswordHasher& hasher,
                                    const PasswordPolicy& policy, const PasswordOwner& owner,
                                    const std::string& password, std::string_view field);

}  // namespace deskgate::services
