#include "server/services/password_reset.h"

#include "server/crypto/tokens.h"
#include "server/services/accounts.h"
#include "server/services/new_password.h"
#include "shared/settings/auth_settings.h"

namespace deskgate::services {
namespace {

constexpr const char* kUnusableLink =
    "This password reset link is invalid, expired or already used. Ask for a new one.";

std::string MailBody(const std::string& name, const std::string& url) {
  return "Hello " + (name.empty() ? std::string("there") : name) + ",\n\n" +
         "Someone asked to reset the password of your deskgate account. To choose a new one, "
         "open this link within 30 minutes:\n\n  " +
         url +
         "\n\nThe link works once. If you did not ask for it, ignore this message: your "
         "password stays as it is.\n";
}

}  // namespace

Status PasswordReset::RequirePasswordPortal(store::Portal portal) {
  auto settings = settings_.Get(portal);
  if (!settings.ok()) return settings.status();
  if (AllowsPasswordLogin(settings.value())) return Status::Ok();
  return Status::Of(StatusCode::kPermissionDenied,
                    "This portal signs in through single sign-on only: reset your password at "
                    "your identity provider.");
}

Status PasswordReset::Request(store::Portal portal, const std::string& email,
                              const std::string& ip) {
  if (!IsPlausibleEmail(email)) return Status::Error("email: not a valid email address");
  if (Status s = RequirePasswordPortal(portal); !s.ok()) return s;
  const int64_t now = clock_.Now();
  const std::string address = NormalizeEmail(email);
  const std::string portal_name = store::PortalName(portal);
  const ThrottleScope per_address[] = {
      {"reset_address", "reset-address:" + ip, kRequestsPerAddress, /*reset_on_success=*/false}};
  const Throttle::Attempt asked = throttle_.Begin(per_address, now);
  if (asked.wait > 0) {
    return Status::Throttled("Too many reset requests from your network. Try again in " +
                                 std::to_string((asked.wait + 59) / 60) + " minutes.",
                             asked.wait);
  }
  throttle_.Failed(per_address, asked);  // every request counts
  auto person = store_.FindPerson(portal, address);
  if (!person.ok()) return person.status();
  // Unknown, deactivated or not yet invited in: the same answer, no mail.
  // ("!" is no password: the demo data's agents, who never sign in.)
  if (!person.value() || !person.value()->active() || person.value()->password_hash.empty() ||
      person.value()->password_hash == "!") {
    store_.Audit({now, std::nullopt, portal_name, "password.reset_unknown", address, ip, "{}"});
    return Status::Ok();
  }
  const store::Person& p = *person.value();
  const ThrottleScope per_account[] = {{"reset_account", "reset-account:" + std::to_string(p.id),
                                        kMailsPerAccount, /*reset_on_success=*/false}};
  const Throttle::Attempt mailed = throttle_.Begin(per_account, now);
  if (mailed.wait > 0) return Status::Ok();  // silently: the answer stays the same
  throttle_.Failed(per_account, mailed);
  const std::string token = crypto::RandomToken();
  const std::string url = public_origin_ + "/reset-password.html#token=" + token;
  const store::OutgoingMail mail{p.email, "Reset your deskgate password",
                                 box_.Seal(MailBody(p.name, url)), now + kLifetime};
  return store_.AddPasswordReset(
      p.id, crypto::Sha256Hex(token), now, now + kLifetime, mail,
      {now, p.id, portal_name, "password.reset_requested", p.email, ip, "{}"});
}

Result<store::PasswordResetRow> PasswordReset::UsableReset(const std::string& token,
                                                           const std::string& ip, int64_t now) {
  const ThrottleScope scopes[] = {
      {"reset_link", "reset-link:" + ip, kBadLinksPerAddress, /*reset_on_success=*/false}};
  if (Status s = throttle_.RefuseWhileBlocked(scopes, now, "reset links"); !s.ok()) return s;
  auto found = token.empty() || token.size() > 200
                   ? Result<std::optional<store::PasswordResetRow>>(std::nullopt)
                   : store_.FindPasswordReset(crypto::Sha256Hex(token));
  if (!found.ok()) return found.status();
  if (!found.value() || !found.value()->usable || found.value()->expires_at <= now) {
    throttle_.CountFailure(scopes, now);
    return Status::Of(StatusCode::kPermissionDenied, kUnusableLink);
  }
  return std::move(*found.value());
}

Result<ResetView> PasswordReset::ViewOf(const store::PasswordResetRow& row,
                                        store::Person* person_out) {
  auto person = store_.PersonById(row.person_id);
  if (!person.ok()) return person.status();
  if (!person.value()) return Status::Of(StatusCode::kPermissionDenied, kUnusableLink);
  if (Status s = RequirePasswordPortal(person.value()->portal); !s.ok()) return s;
  auto policy = settings_.PasswordPolicyJson(person.value()->portal);
  if (!policy.ok()) return policy.status();
  if (person_out != nullptr) *person_out = *person.value();
  return ResetView{person.value()->portal, person.value()->email, person.value()->name,
                   policy.value()};
}

Result<ResetView> PasswordReset::Lookup(const std::string& token, const std::string& ip) {
  auto row = UsableReset(token, ip, clock_.Now());
  if (!row.ok()) return row.status();
  return ViewOf(row.value(), nullptr);
}

Result<ResetView> PasswordReset::Complete(const std::string& token, const std::string& password,
                                          const std::string& ip) {
  const int64_t now = clock_.Now();
  auto row = UsableReset(token, ip, now);
  if (!row.ok()) return row.status();
  store::Person person;
  auto view = ViewOf(row.value(), &person);
  if (!view.ok()) return view.status();
  auto settings = settings_.Get(person.portal);
  if (!settings.ok()) return settings.status();
  auto hash = HashNewPassword(store_, hasher_, settings.value().password,
                              {person.id, person.email, person.name}, password, "password");
  if (!hash.ok()) return hash.status();
  if (Status s = store_.CompletePasswordReset(row.value().id, person.id, hash.value(),
                                              {now, person.id, store::PortalName(person.portal),
                                               "password.reset", person.email, ip, "{}"});
      !s.ok()) {
    return s;
  }
  return view;
}

}  // namespace deskgate::services
