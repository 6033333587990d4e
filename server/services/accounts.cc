#include "server/services/accounts.h"

#include "server/crypto/tokens.h"
#include "shared/core/char_class.h"
#include "shared/core/json_writer.h"
#include "shared/core/utf8.h"
#include "shared/password/password_check.h"

namespace deskgate::services {

bool IsPlausibleEmail(std::string_view email) {
  const size_t at = email.find('@');
  if (email.size() > 254 || at == 0 || at == std::string_view::npos || at + 1 >= email.size() ||
      email.find('@', at + 1) != std::string_view::npos || !IsValidUtf8(email)) {
    return false;
  }
  for (unsigned char c : email) {
    if (c <= 0x20 || c == 0x7F) return false;
  }
  return true;
}

std::string MaskEmail(std::string_view email) {
  const size_t at = email.find('@');
  if (at == std::string_view::npos || at == 0) return "•••";
  return std::string(email.substr(0, 1)) + "•••" + std::string(email.substr(at));
}

std::string NormalizeEmail(std::string_view email) {
  return LowerAscii(email);
}

Result<store::NewPerson> Accounts::Prepare(const NewAccount& account,
                                           const PasswordPolicy& policy) {
  if (!IsPlausibleEmail(account.email)) return Status::Error("email: not a valid email address");
  if (account.name.size() > 200 || !IsValidUtf8(account.name)) {
    return Status::Error("name: must be valid text of at most 200 bytes");
  }
  if (account.portal == store::Portal::kContact && !account.role.empty()) {
    return Status::Error("role: contacts have no role");
  }
  const PasswordCheck check =
      CheckPassword(policy, account.password, {account.email, account.name, std::nullopt});
  for (const RuleOutcome& r : check.rules) {
    if (r.state == RuleState::kFail) return Status::Error("password: " + r.message);
  }
  auto hash = hasher_.Hash(account.password);
  if (!hash.ok()) return hash.status();
  return store::NewPerson{account.portal, NormalizeEmail(account.email), account.name,
                          account.portal == store::Portal::kAgent ? account.role : "",
                          hash.value()};
}

Result<int64_t> Accounts::Add(const NewAccount& account, const PasswordPolicy& policy,
                              const std::string& actor) {
  auto person = Prepare(account, policy);
  if (!person.ok()) return person.status();
  JsonWriter details;
  details.BeginObject().Key("by").String(actor);
  if (account.portal == store::Portal::kAgent) details.Key("role").String(account.role);
  details.EndObject();
  return store_.AddPerson(person.value(),
                          {clock_.Now(), std::nullopt, store::PortalName(account.portal),
                           "person.created", "", "", details.Take()});
}

Result<std::optional<std::string>> Accounts::StartSetup(const crypto::SecretBox& box) {
  auto admin = store_.AdministratorCanSignIn();
  if (!admin.ok()) return admin.status();
  if (admin.value()) return std::optional<std::string>();
  const int64_t now = clock_.Now();
  auto kept = store_.OpenSetupToken(now);
  if (!kept.ok()) return kept.status();
  if (kept.value()) {
    // Sealed under another master key, the old link cannot be printed: a new one is.
    if (auto opened = box.Open(*kept.value()); opened.ok()) {
      return std::optional<std::string>(std::string(opened.value().view()));
    }
  }
  std::string token = crypto::RandomToken();
  if (Status s =
          store_.AddSetupToken(crypto::Sha256Hex(token), box.Seal(token), now + kSetupLinkLifetime);
      !s.ok()) {
    return s;
  }
  return std::optional<std::string>(std::move(token));
}

Result<int64_t> Accounts::CompleteSetup(const std::string& token, const std::string& email,
                                        const std::string& name, const std::string& password,
                                        const std::string& ip) {
  const int64_t now = clock_.Now();
  const ThrottleScope scopes[] = {
      {"setup", "setup:" + ip, kSetupFailuresPerAddress, /*reset_on_success=*/false}};
  if (Status s = throttle_.RefuseWhileBlocked(scopes, now, "setup links"); !s.ok()) return s;
  const std::string token_hash = crypto::Sha256Hex(token);
  auto usable = store_.SetupTokenUsable(token_hash, now);
  if (!usable.ok()) return usable.status();
  if (!usable.value()) {
    throttle_.CountFailure(scopes, now);
    return Status::Of(StatusCode::kPermissionDenied,
                      "this setup link is invalid, expired or already used");
  }
  auto person =
      Prepare({store::Portal::kAgent, email, name, "Administrator", password}, PasswordPolicy{});
  if (!person.ok()) return person.status();
  return store_.CompleteSetup(
      token_hash, person.value(),
      {now, std::nullopt, "agent", "setup.completed", "", ip, R"({"role":"Administrator"})"});
}

}  // namespace deskgate::services
