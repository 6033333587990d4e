// The password policy and check the page runs while people type and the
// server runs again: any policy document and password (split at the first
// NUL) is checked without crashing, and the policy survives a round trip.
#include "shared/password/password_check.h"
#include "shared/password/password_policy.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using deskgate::fuzz::Check;
  const std::string_view input = deskgate::fuzz::Text(data, size);
  const size_t split = input.find('\0');
  const std::string_view policy_json = input.substr(0, split);
  const std::string_view password =
      split == std::string_view::npos ? std::string_view() : input.substr(split + 1);
  auto policy = deskgate::ParsePasswordPolicy(policy_json);
  const deskgate::PasswordPolicy used = policy.ok() ? policy.value() : deskgate::PasswordPolicy();
  if (policy.ok()) {
    auto again = deskgate::ParsePasswordPolicy(deskgate::PasswordPolicyToJson(used));
    Check(again.ok() && again.value() == used, "a policy survives a round trip");
  }
  const auto check =
      deskgate::CheckPassword(used, password, {"jane.doe@example.com", "Jane Doe", 0});
  Check(deskgate::ParseJson(deskgate::PasswordCheckToJson(check)).ok(), "the verdict is JSON");
  (void)deskgate::CheckPasswordJson(policy_json, password, password);
  return 0;
}
