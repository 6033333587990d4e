#include "server/services/auth_service.h"

#include <algorithm>

#include "server/crypto/tokens.h"
#include "server/services/accounts.h"
#include "server/services/new_password.h"
#include "server/services/people_service.h"
#include "server/services/permissions.h"
#include "shared/core/json_writer.h"
#include "shared/core/utf8.h"
#include "shared/password/password_check.h"
#include "shared/password/password_expiry.h"

namespace deskgate::services {
namespace {

// The same answer whether the account exists or the password is wrong.
constexpr const char* kInvalidCredentials = "The email or password is incorrect.";

LoginResult SignInUnavailable() {
  return LoginResult::Of(
      Status::Of(StatusCode::kUnavailable, "sign-in is unavailable; try again shortly"));
}

}  // namespace

LoginResult AuthService::Login(const LoginRequest& request) {
  const int64_t now = clock_.Now();
  const std::string portal = store::PortalName(request.portal);
  const std::string email = NormalizeEmail(request.email);
  const std::string account_key = "account:" + portal + ":" + email;
  const std::string address_key = "address:" + request.ip;
  const std::string pair_key = "pair:" + portal + ":" + email + ":" + request.ip;

  // A portal that signs in through single sign-on only refuses passwords
  // before any are checked, so the answer tells nothing about accounts.
  auto settings = settings_.Get(request.portal);
  if (!settings.ok()) return SignInUnavailable();
  if (!AllowsPasswordLogin(settings.value())) {
    return LoginResult::Of(Status::Of(StatusCode::kPermissionDenied,
                                      "This portal signs in through single sign-on only. Use the "
                                      "single sign-on button."));
  }

  const ThrottleScope scopes[] = {{"account_and_address", pair_key, kPairLimit},
                                  {"account", account_key, kAccountLimit},
                                  {"address", address_key, kAddressLimit, false}};
  const Throttle::Attempt attempt = throttle_.Begin(scopes, now);
  if (attempt.wait > 0) {
    // Refusals while blocked are not audited one by one: a flood would
    // otherwise write a row per request. The block's start was audited.
    return LoginResult::Of(Status::Throttled("Too many failed sign-in attempts. Try again in " +
                                                 std::to_string((attempt.wait + 59) / 60) +
                                                 " minutes.",
                                             attempt.wait));
  }

  auto person = store_.FindPerson(request.portal, email);
  if (!person.ok()) return SignInUnavailable();
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
    return LoginResult::Of(Status::Of(StatusCode::kUnauthenticated, kInvalidCredentials));
  }

  throttle_.Succeeded(scopes, now);
  // Told only to someone who knows the password: the account exists, and
  // an administrator switched it off.
  if (!person.value()->active()) {
    store_.Audit({now, person.value()->id, portal, "login.deactivated", email, request.ip, "{}"});
    return LoginResult::Of(Status::Of(StatusCode::kPermissionDenied, kDeactivatedAccount));
  }
  LoginResult result;
  result.session_token = crypto::RandomToken();
  // The password is proved; a second factor may still be owed. Such a
  // session stays pending (it signs nobody in) until the factor verifies.
  auto challenge = mfa_.ChallengeFor(*person.value(), SignInMethod::kPassword);
  if (!challenge.ok()) return SignInUnavailable();
  result.mfa = std::move(challenge).value();
  store::SessionStage stage = store::SessionStage::kDone;
  if (result.mfa.step == MfaChallenge::Step::kVerify) {
    stage = store::SessionStage::kMfa;
    result.sign_in_status = "mfa_required";
  } else if (result.mfa.step == MfaChallenge::Step::kSetup) {
    stage = store::SessionStage::kMfaSetup;
    result.sign_in_status = "mfa_setup_required";
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
    return SignInUnavailable();
  }
  const bool signed_in = stage == store::SessionStage::kDone;
  // Failing to tell or to record that a password must change fails the
  // sign-in (its token is never handed out): it must not go through as if
  // none were needed.
  auto reason = PasswordChangeReason(*person.value(), request.password, now);
  if (!reason.ok()) return SignInUnavailable();
  if (!reason.value().empty()) {
    // Asked for after the second factor: the MFA routes answer it then.
    if (signed_in) result.sign_in_status = "password_change_required";
    if (!person.value()->must_change_password) {
      JsonWriter details;
      details.BeginObject().Key("reason").String(reason.value()).EndObject();
      if (!store_
               .RequirePasswordChange(person.value()->id, false,
                                      {now, person.value()->id, portal, "password.change_required",
                                       email, request.ip, details.Take()})
               .ok()) {
        return SignInUnavailable();
      }
    }
  }
  return result;
}

Result<std::string> AuthService::PasswordChangeReason(const store::Person& person,
                                                      const std::string& password, int64_t now) {
  if (person.must_change_password) return std::string("required");
  auto read = settings_.Get(person.portal);
  if (!read.ok()) return read.status();
  const AuthSettings& settings = read.value();
  if (EvaluateExpiry(settings.password, person.password_changed_at, now).expired) {
    return std::string("expired");
  }
  if (settings.enforce_policy == "next_login" &&
      !CheckPassword(settings.password, password, {person.email, person.name, std::nullopt}).ok) {
    return std::string("policy");
  }
  return std::string();
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
  // Deactivation ends every session; a session read just before it did is
  // refused all the same.
  if (!found.value()->person.active()) return std::nullopt;
  const int64_t now = clock_.Now();
  auto session_settings = settings_.Session(s.portal);
  if (!session_settings.ok()) return std::nullopt;  // refused: limits unknown
  if (DeadlinesOf(s, session_settings.value(), now).Passed()) {
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

AuthService::SessionDeadlines AuthService::DeadlinesOf(const store::Session& s,
                                                       const SessionSettings& limits, int64_t now) {
  SessionDeadlines d;
  d.now = now;
  d.idle_timeout_minutes = limits.idle_timeout_minutes;
  d.idle_ends_at = s.last_seen_at + int64_t{limits.idle_timeout_minutes} * 60;
  d.ends_at = s.created_at + int64_t{limits.absolute_timeout_hours} * 3600;
  return d;
}

std::optional<AuthService::SessionDeadlines> AuthService::Deadlines(const std::string& token,
                                                                    bool* timed_out) {
  if (token.empty()) return std::nullopt;
  auto found = store_.FindSession(crypto::Sha256Hex(token));
  if (!found.ok() || !found.value()) return std::nullopt;
  const store::Session& s = found.value()->session;
  if (s.stage != store::SessionStage::kDone || !found.value()->person.active()) return std::nullopt;
  auto limits = settings_.Session(s.portal);
  if (!limits.ok()) return std::nullopt;
  const SessionDeadlines d = DeadlinesOf(s, limits.value(), clock_.Now());
  if (d.Passed()) {
    if (timed_out) *timed_out = true;
    return std::nullopt;
  }
  return d;
}

Result<std::vector<store::SessionRow>> AuthService::SessionsOf(const SessionInfo& me) {
  return store_.ListSessions(me.person.id);
}

Status AuthService::EndSession(const SessionInfo& me, int64_t session_id, const std::string& ip) {
  // 0 would mean "every session" to the store.
  if (session_id <= 0) return Status::Of(StatusCode::kNotFound, "no such session");
  auto ended = store_.EndSessions(me.person.id, session_id, 0,
                                  {clock_.Now(), me.person.id, store::PortalName(me.person.portal),
                                   "session.ended", me.person.email, ip, "{}"});
  if (!ended.ok()) return ended.status();
  // Someone else's session, or one already gone, is simply not found.
  if (ended.value() == 0) return Status::Of(StatusCode::kNotFound, "no such session");
  return Status::Ok();
}

Result<int64_t> AuthService::EndOtherSessions(const SessionInfo& me, const std::string& ip) {
  return store_.EndSessions(me.person.id, 0, me.session.id,
                            {clock_.Now(), me.person.id, store::PortalName(me.person.portal),
                             "session.ended_others", me.person.email, ip, "{}"});
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
  auto read = settings_.Get(person.portal);
  if (!read.ok()) return read.status();
  const AuthSettings& settings = read.value();
  auto hash = HashNewPassword(store_, hasher_, settings.password,
                              {person.id, person.email, person.name}, replacement, "new_password");
  if (!hash.ok()) return hash.status();
  return store_.ChangePassword(
      person.id, hash.value(), session.session.id,
      {now, person.id, portal, "password.changed", person.email, ip, "{}"});
}

Status AuthService::RequirePasswordChange(const store::Person& admin, int64_t person_id,
                                          const std::string& ip) {
  if (!PermissionsOf(admin).administrator) {
    return Status::Of(StatusCode::kPermissionDenied, "only administrators can reset passwords");
  }
  auto person = store_.PersonById(person_id);
  if (!person.ok()) return person.status();
  if (!person.value()) return Status::Of(StatusCode::kNotFound, "no such person");
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
    if (!checked.ok()) {
      throttle_.Cancel(scopes, now);  // counted by the second factor's own throttle
      switch (checked.status.code()) {
        case StatusCode::kThrottled:
        case StatusCode::kUnavailable:
          return checked.status;
        default:  // a wrong code is bad input to a re-authentication
          return Status::Error("code: " + checked.status.message());
      }
    }
  }
  throttle_.Succeeded(scopes, now);
  return store_.MarkReauthenticated(
      session.session.id,
      {now, person.id, portal, "reauthentication.success", person.email, ip,
       methods.empty() ? R"({"method":"password"})" : R"({"method":")" + method + R"("})"});
}

}  // namespace deskgate::services
