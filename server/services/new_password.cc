#include "server/services/new_password.h"

#include "shared/password/password_check.h"

namespace deskgate::services {

Result<std::string> HashNewPassword(store::PeopleStore& people, crypto::PasswordHasher& hasher,
                                    const PasswordPolicy& policy, const PasswordOwner& owner,
                                    const std::string& password, std::string_view field) {
  // Which earlier password, if any, the new one repeats (1 = the current one).
  int reuse_match = 0;
  if (policy.reuse_history > 0 && owner.person_id != 0) {
    auto history = people.PasswordHistory(owner.person_id, policy.reuse_history);
    if (!history.ok()) return history.status();
    for (size_t i = 0; i < history.value().size() && reuse_match == 0; ++i) {
      if (hasher.Verify(password, history.value()[i])) reuse_match = static_cast<int>(i) + 1;
    }
  }
  const PasswordCheck check =
      CheckPassword(policy, password, {owner.email, owner.name, reuse_match});
  for (const RuleOutcome& r : check.rules) {
    if (r.state == RuleState::kFail) return Status::Error(std::string(field) + ": " + r.message);
  }
  return hasher.Hash(password);
}

}  // namespace deskgate::services
