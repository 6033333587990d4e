#include "server/services/auth_service.h"

#include <algorithm>

#include "server/crypto/tokens.h"
#include "server/services/accounts.h"
#include "shared/core/json_writer.h"
#include "shared/password/password_check.h"
#include "shared/password/password_expiry.h"
#include "shared/core/utf8.h"

namespace deskgate::services {

LoginResult AuthService::Login(const LoginRequest& request) {
  const int64_t now = clock_.Now();
  const std::string portal = store::PortalName(request.portal);
  const std::string email = NormalizeEmail(request.email);
  const std::string account_key = "account:" + portal + ":" + email;
  const std::string address_key = "address:" + request.ip;
  const std::string pair_key = "pair:" + portal + ":" + email + ":" + request.ip;

  // A portal that signs in through single sign-on only refuses passwords
  // before any are checked, so the answer tells nothing about accounts.
  if (!AllowsPasswordLogin(settings_.Get(request.portal))) {
    return LoginResult::Of(LoginResult::Outcome::kPasswordLoginOff);
  }

  const ThrottleScope scopes[] = {{"account_and_address", pair_key, kPairLimit},
                                  {"account", account_key, kAccountLimit},
                                  {"address", address_key, kAddressLimit, false}};
  const Throttle::Attempt attempt = throttle_.Begin(scopes, now);
  if (attempt.wait > 0) {
    // Refusals while blocked are not audited one by one: a flood would
    // otherwise write a row per request. The block's start was audited.
    LoginResult throttled = LoginResult::Of(LoginResult::Outcome::kThrottled);
    throttled.retry_after = attempt.wait;
    return throttled;
  }

  auto person = store_.FindPerson(request.portal, email);
  if (!person.ok()) return LoginResult::Of(LoginResult::Outcome::kError);
  bool valid = false;
  if (person.value() && !person.value()->password_hash.empty()) {
    valid = hasher_.Verify(request.password, person.value()->password_hash);
  } else {
    // Unknown, or created by single sign-on without a password: the same
    // work either way.
    hasher_.VerifyDummy(request.password);  // same work as a real check
  }
  if (!valid) {
    for (const ThrottleBlock& block : throttle_.Failed(scopes, attempt)) {
      store_.Audit(
          {now, std::nullopt, portal, "login.throttled", email, request.ip, block.ToJson()});
    }
    store_.Audit({now, std::nullopt, portal, "login.failure", email, request.ip, "{}"});
    return LoginResult::Of(LoginResult::Outcome::kInvalid);
  }

  throttle_.Succeeded(scopes, now);
  LoginResult result = LoginResult::Of(LoginResult::Outcome::kOk);
  result.session_token = crypto::RandomToken();
  // The password is proved; a second factor may still be owed. Such a
  // session stays pending (it signs nobody in) until the factor verifies.
  auto challenge = mfa_.ChallengeFor(*person.value(), SignInMethod::kPassword);
  if (!challenge.ok()) return LoginResult::Of(LoginResult::Outcome::kError);
  result.mfa = std::move(challenge).value();
  store::SessionStage stage = store::SessionStage::kDone;
  if (result.mfa.step == MfaChallenge::Step::kVerify) {
    stage = store::SessionStage::kMfa;
    result.status = "mfa_required";
  } else if (result.mfa.step == MfaChallenge::Step::kSetup) {
    stage = store::SessionStage::kMfaSetup;
    result.status = "mfa_setup_required";
  }
  const store::AuditEvent audit{
      now,    person.value()->id,
      portal, stage == store::SessionStage::kDone ? "login.success" : "login.password_verified",
      email,  request.ip,
      "{}"};
  if (!store_
           .CreateSession(crypto::Sha256Hex(result.session_token), person.value()->id,
                          request.portal, stage, now, request.ip, request.user_agent, audit)
           .ok()) {
    return LoginResult::Of(LoginResult::Outcome::kError);
  }
  const bool signed_in = stage == store::SessionStage::kDone;
  const std::string reason = PasswordChangeReason(*person.value(), request.password, now);
  if (!reason.empty()) {
    // Asked for after the second factor: the MFA routes answer it then.
    if (signed_in) result.status = "password_change_required";
    if (!person.value()->must_change_password) {
      store_.RequirePasswordChange(person.value()->id, false,
                                   {now, person.value()->id, portal, "password.change_required",
                                    email, request.ip, R"({"reason":")" + reason + R"("})"});
    }
  }
  return result;
}

std::string AuthService::PasswordChangeReason(const store::Person& person,
                                              const std::string& password, int64_t now) {
  if (person.must_change_password) return "required";
  const AuthSettings settings = settings_.Get(person.portal);
  if (EvaluateExpiry(settings.password, person.password_changed_at, now).expired) return "expired";
  if (settings.enforce_policy == "next_login" &&
      !CheckPassword(settings.password, password, {person.email, person.name, std::nullopt}).ok) {
    return "policy";
  }
  return "";
}

std::optional<SessionInfo> AuthService::Authenticate(const std::string& token,
                                                     const std::string& ip) {
  if (token.empty()) return std::nullopt;
  auto found = store_.FindSession(crypto::Sha256Hex(token));
  if (!found.ok() || !found.value()) return std::nullopt;
  const store::Session& s = found.value()->session;
  // A session that holds only the password step signs nobody in; the
  // second-factor routes will look it up on their own terms.
  if (s.stage != store::SessionStage::kDone) return std::nullopt;
  const int64_t now = clock_.Now();
  const SessionSettings limits = settings_.Session(s.portal);
  if (now - s.last_seen_at > int64_t{limits.idle_timeout_minutes} * 60 ||
      now - s.created_at > int64_t{limits.absolute_timeout_hours} * 3600) {
    store_.DeleteSession(
        s.id, {now, s.person_id, store::PortalName(s.portal), "session.expired", "", ip, "{}"});
    return std::nullopt;
  }
  // Activity is recorded at most once a minute: a write per request would
  // serialize every reader behind the database's write lock, and timeouts
  // are configured in whole minutes.
  if (now - s.last_seen_at >= kActivityGranularity) store_.TouchSession(s.id, now);
  return std::move(*found.value());
}

Result<store::Session> AuthService::Logout(const std::string& token, const std::string& ip) {
  if (token.empty()) return Status::Error("not signed in");
  // Any stage: a sign-in waiting for its second factor can be abandoned too.
  auto found = store_.FindSession(crypto::Sha256Hex(token));
  if (!found.ok() || !found.value()) return Status::Error("not signed in");
  const store::ActiveSession& s = *found.value();
  if (s.session.stage == store::SessionStage::kDone && !Authenticate(token, ip)) {
    return Status::Error("not signed in");  // it had just timed out
  }
  Status deleted = store_.DeleteSession(
      s.session.id,
      {clock_.Now(), s.person.id, store::PortalName(s.session.portal), "logout", "", ip, "{}"});
  if (!deleted.ok()) return deleted;
  return s.session;
}

}  // namespace deskgate::services

namespace deskgate::services {

Status AuthService::ChangePassword(const SessionInfo& session, const std::string& current,
                                   const std::string& replacement, const std::string& ip) {
  const store::Person& person = session.person;
  const int64_t now = clock_.Now();
  const std::string portal = store::PortalName(person.portal);
  // Guessing the current password through a stolen session is throttled
  // like signing in; it has its own counter, so it locks nobody out of signing in.
  const ThrottleScope scopes[] = {
      {"password_change", "password-change:" + std::to_string(person.id), kPairLimit}};
  const Throttle::Attempt attempt = throttle_.Begin(scopes, now);
  if (attempt.wait > 0) {
    return Status::Error("current_password: too many wrong tries; try again in " +
                         std::to_string((attempt.wait + 59) / 60) + " minutes");
  }
  if (!hasher_.Verify(current, person.password_hash)) {
    throttle_.Failed(scopes, attempt);
    store_.Audit({now, person.id, portal, "password.change_failed", person.email, ip, "{}"});
    return Status::Error("current_password: the current password is incorrect");
  }
  throttle_.Succeeded(scopes, now);
  const AuthSettings settings = settings_.Get(person.portal);
  // Which earlier password, if any, the new one repeats (1 = the current one).
  int reuse_match = 0;
  if (settings.password.reuse_history > 0) {
    auto history = store_.PasswordHistory(person.id, settings.password.reuse_history);
    if (!history.ok()) return history.status();
    for (size_t i = 0; i < history.value().size() && reuse_match == 0; ++i) {
      if (hasher_.Verify(replacement, history.value()[i])) reuse_match = static_cast<int>(i) + 1;
    }
  }
  const PasswordCheck check =
      CheckPassword(settings.password, replacement, {person.email, person.name, reuse_match});
  for (const RuleOutcome& r : check.rules) {
    if (r.state == RuleState::kFail) return Status::Error("new_password: " + r.message);
  }
  auto hash = hasher_.Hash(replacement);
  if (!hash.ok()) return hash.status();
  return store_.ChangePassword(
      person.id, hash.value(), session.session.id,
      {now, person.id, portal, "password.changed", person.email, ip, "{}"});
}

Status AuthService::RequirePasswordChange(const store::Person& admin, int64_t person_id,
                                          const std::string& ip) {
  auto person = store_.PersonById(person_id);
  if (!person.ok()) return person.status();
  if (!person.value()) return Status::Error("no such person");
  const int64_t now = clock_.Now();
  return store_.RequirePasswordChange(person_id, true,
                                      {now, admin.id, store::PortalName(person.value()->portal),
                                       "password.reset_by_admin", person.value()->email, ip, "{}"});
}

}  // namespace deskgate::services

namespace deskgate::services {

Result<AuthService::StepUp> AuthService::StepUpFor(const store::Person& person) {
  StepUp step_up;
  step_up.password = !person.password_hash.empty();
  auto methods = mfa_.StepUpMethods(person);
  if (!methods.ok()) return methods.status();
  step_up.methods = std::move(methods).value();
  return step_up;
}

Status AuthService::Reauthenticate(const SessionInfo& session, const std::string& password,
                                   const std::string& method, const std::string& code,
                                   const std::string& ip) {
  const store::Person& person = session.person;
  const int64_t now = clock_.Now();
  const std::string portal = store::PortalName(person.portal);
  auto step_up = StepUpFor(person);
  if (!step_up.ok())
    return Status::Of(StatusCode::kUnavailable, "cannot read your sign-in methods");
  if (!step_up.value().password) {
    return Status::Of(StatusCode::kPermissionDenied,
                      "your account has no password; ask an administrator to make this change");
  }
  const ThrottleScope scopes[] = {
      {"reauthentication", "reauth:" + std::to_string(person.id), kPairLimit}};
  const Throttle::Attempt attempt = throttle_.Begin(scopes, now);
  if (attempt.wait > 0) {
    return Status::Throttled("too many wrong tries; try again in " +
                                 std::to_string((attempt.wait + 59) / 60) + " minutes",
                             attempt.wait);
  }
  if (!hasher_.Verify(password, person.password_hash)) {
    throttle_.Failed(scopes, attempt);
    store_.Audit({now, person.id, portal, "reauthentication.failure", person.email, ip, "{}"});
    return Status::Error("password: the password is incorrect");
  }
  const std::vector<std::string>& methods = step_up.value().methods;
  if (!methods.empty()) {
    if (std::find(methods.begin(), methods.end(), method) == methods.end()) {
      throttle_.Cancel(scopes, now);
      return Status::Error("method: give a code from " + std::string(methods.front() == "totp"
                                                                         ? "your authenticator app"
                                                                         : "the email we send"));
    }
    const MfaOutcome checked = mfa_.VerifyStepUp(person, method, code, ip);
    if (checked.kind == MfaOutcome::Kind::kThrottled) {
      throttle_.Cancel(scopes, now);
      return Status::Throttled(checked.message, checked.retry_after);
    }
    if (checked.kind != MfaOutcome::Kind::kOk) {
      throttle_.Cancel(scopes, now);  // counted by the second factor's own throttle
      return checked.kind == MfaOutcome::Kind::kError
                 ? Status::Of(StatusCode::kUnavailable, "the code could not be checked")
                 : Status::Error("code: " + checked.message);
    }
  }
  throttle_.Succeeded(scopes, now);
  return store_.MarkReauthenticated(
      session.session.id,
      {now, person.id, portal, "reauthentication.success", person.email, ip,
       methods.empty() ? R"({"method":"password"})" : R"({"method":")" + method + R"("})"});
}

}  // namespace deskgate::services
