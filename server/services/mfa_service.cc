#include "server/services/mfa_service.h"

#include <sodium.h>

#include <algorithm>
#include <cstdio>

#include "server/crypto/tokens.h"
#include "server/crypto/totp.h"
#include "server/services/accounts.h"
#include "server/services/permissions.h"
#include "server/services/step_up.h"
#include "shared/mfa/base32.h"
#include "shared/mfa/otpauth.h"
#include "shared/mfa/recovery_code.h"

namespace deskgate::services {
namespace {

MfaOutcome Fail(StatusCode code, std::string message) {
  return MfaOutcome::Of(Status::Of(code, std::move(message)));
}

// A wrong or used-up code: the credential of a sign-in that failed.
MfaOutcome WrongCode(std::string message) {
  return Fail(StatusCode::kUnauthenticated, std::move(message));
}
bool IsWrongCode(const MfaOutcome& o) {
  return o.status.code() == StatusCode::kUnauthenticated;
}

// The store or a sealed secret failed: nothing the person can fix.
MfaOutcome Unavailable() {
  return Fail(StatusCode::kUnavailable, "that did not work; try again shortly");
}

MfaOutcome ThrottledFor(std::string message, int64_t wait) {
  return MfaOutcome::Of(Status::Throttled(std::move(message), wait));
}

constexpr const char* kWrongCode = "That code is not valid. Check it and try again.";
constexpr const char* kEmailCodeGone =
    "That code has expired or was already used. Ask for a new one.";

std::string Minutes(int64_t seconds) {
  const int64_t minutes = (seconds + 59) / 60;
  if (minutes < 60) return std::to_string(minutes) + (minutes == 1 ? " minute" : " minutes");
  const int64_t hours = minutes / 60, rest = minutes % 60;
  std::string text = std::to_string(hours) + (hours == 1 ? " hour" : " hours");
  if (rest > 0) text += " " + std::to_string(rest) + " min";
  return text;
}

MfaOutcome Throttled(int64_t wait) {
  return ThrottledFor("Too many wrong codes. Try again in " + Minutes(wait) + ".", wait);
}

}  // namespace

Result<MfaChallenge> MfaService::ChallengeFor(const store::Person& person, SignInMethod method) {
  auto portal_settings = settings_.Get(person.portal);
  if (!portal_settings.ok()) return portal_settings.status();
  const MfaSettings& settings = portal_settings.value().mfa;
  MfaEnrollment enrollment;
  if (settings.enabled() && method == SignInMethod::kPassword) {
    auto totp = store_.GetTotp(person.id);
    if (!totp.ok()) return totp.status();
    enrollment.totp = totp.value().enrolled();
    auto codes = store_.RecoveryCodes(person.id);
    if (!codes.ok()) return codes.status();
    for (const store::RecoveryCode& c : codes.value()) enrollment.recovery_codes |= !c.used;
  }
  return DecideMfaChallenge(settings, enrollment, method);
}

std::optional<store::ActiveSession> MfaService::Pending(const std::string& token,
                                                        store::Portal portal) {
  if (token.empty()) return std::nullopt;
  auto found = store_.FindSession(crypto::Sha256Hex(token));
  if (!found.ok() || !found.value()) return std::nullopt;
  const store::Session& s = found.value()->session;
  if (s.stage == store::SessionStage::kDone || s.portal != portal) return std::nullopt;
  if (clock_.Now() - s.created_at > kPendingLifetime) return std::nullopt;
  return std::move(*found.value());
}

std::vector<ThrottleScope> MfaService::ScopesFor(const store::Person& person,
                                                 const std::string& ip) const {
  const std::string id = std::to_string(person.id);
  return {{"account_and_address", "mfa-pair:" + id + ":" + ip, kPairLimit},
          {"account", "mfa-account:" + id, kAccountLimit},
          {"address", "mfa-address:" + ip, kAddressLimit, false}};
}

store::AuditEvent MfaService::Event(const store::Person& about, std::optional<int64_t> actor,
                                    const char* event, const std::string& ip, int64_t now,
                                    std::string details) const {
  return {now, actor, store::PortalName(about.portal), event, about.email, ip, std::move(details)};
}

MfaOutcome MfaService::Verify(const store::ActiveSession& pending, const std::string& method,
                              const std::string& code, const std::string& ip) {
  if (pending.session.stage != store::SessionStage::kMfa) {
    return Fail(StatusCode::kInvalidArgument, "set up your authenticator app first");
  }
  MfaOutcome checked = CheckCode(pending.person, method, code, ip, /*allow_recovery=*/true);
  if (!checked.ok()) return checked;
  return Complete(pending, method, ip, clock_.Now());
}

MfaOutcome MfaService::CheckCode(const store::Person& person, const std::string& method,
                                 const std::string& code, const std::string& ip,
                                 bool allow_recovery) {
  if (method != "totp" && method != "email" && (method != "recovery" || !allow_recovery)) {
    return Fail(StatusCode::kInvalidArgument, allow_recovery
                                                  ? "method: must be totp, email or recovery"
                                                  : "method: must be totp or email");
  }
  auto challenge = ChallengeFor(person);
  if (!challenge.ok()) return Unavailable();
  if (!challenge.value().Offers(method)) {
    return Fail(StatusCode::kInvalidArgument, "method: " + method + " is not available to you");
  }
  const int64_t now = clock_.Now();
  const std::vector<ThrottleScope> scopes = ScopesFor(person, ip);
  const Throttle::Attempt attempt = throttle_.Begin(scopes, now);
  if (attempt.wait > 0) return Throttled(attempt.wait);

  MfaOutcome result = method == "totp"    ? VerifyTotp(person, code, ip, now)
                      : method == "email" ? VerifyEmail(person, code, now)
                                          : VerifyRecovery(person, code, ip, now);
  if (IsWrongCode(result)) {
    for (const ThrottleBlock& block : throttle_.Failed(scopes, attempt)) {
      store_.Audit(Event(person, person.id, "mfa.throttled", ip, now, block.ToJson()));
    }
    store_.Audit(
        Event(person, person.id, "mfa.failure", ip, now, R"({"method":")" + method + R"("})"));
    return result;
  }
  if (!result.ok()) {
    throttle_.Cancel(scopes, now);  // not a guess: the server failed
    return result;
  }
  throttle_.Succeeded(scopes, now);
  return result;
}

Result<std::vector<std::string>> MfaService::StepUpMethods(const store::Person& person) {
  auto challenge = ChallengeFor(person);
  if (!challenge.ok()) return challenge.status();
  std::vector<std::string> methods;
  if (challenge.value().step != MfaChallenge::Step::kVerify) return methods;
  for (const std::string& m : challenge.value().methods) {
    if (m != "recovery") methods.push_back(m);
  }
  return methods;
}

MfaOutcome MfaService::VerifyStepUp(const store::Person& person, const std::string& method,
                                    const std::string& code, const std::string& ip) {
  return CheckCode(person, method, code, ip, /*allow_recovery=*/false);
}

MfaOutcome MfaService::SendStepUpEmailCode(const store::Person& person, const std::string& ip) {
  auto methods = StepUpMethods(person);
  if (!methods.ok()) return Unavailable();
  if (std::find(methods.value().begin(), methods.value().end(), "email") == methods.value().end()) {
    return Fail(StatusCode::kInvalidArgument, "email codes are not available to you");
  }
  return SendCodeByEmail(person, ip, "confirm a change");
}

MfaOutcome MfaService::VerifyTotp(const store::Person& person, const std::string& code,
                                  const std::string& ip, int64_t now) {
  if (!IsOneTimeCodeFormat(code)) return WrongCode(kWrongCode);
  auto totp = store_.GetTotp(person.id);
  if (!totp.ok() || !totp.value().enrolled()) return Unavailable();
  auto key = box_.Open(totp.value().secret);
  if (!key.ok()) return Unavailable();
  const auto step = crypto::MatchTotp(key.value().bytes(), code, now, totp.value().last_step);
  if (!step) {
    // A code of a step already used is a replay: someone saw it.
    if (crypto::MatchTotp(key.value().bytes(), code, now, -1)) {
      store_.Audit(Event(person, person.id, "mfa.replay", ip, now));
    }
    return WrongCode(kWrongCode);
  }
  // Two requests racing with the same code: only one moves the step on.
  auto accepted = store_.AcceptTotpStep(person.id, *step);
  if (!accepted.ok()) return Unavailable();
  if (!accepted.value()) {
    store_.Audit(Event(person, person.id, "mfa.replay", ip, now));
    return WrongCode(kWrongCode);
  }
  return MfaOutcome();
}

std::string MfaService::EmailCodeHash(int64_t person_id, const std::string& code) const {
  // Bound to the person, so one stored hash says nothing about another's.
  return box_.Digest("deskgate email otp", std::to_string(person_id) + ":" + code);
}

MfaOutcome MfaService::VerifyEmail(const store::Person& person, const std::string& code,
                                   int64_t now) {
  auto otp = store_.GetEmailOtp(person.id);
  if (!otp.ok()) return Unavailable();
  if (!otp.value() || otp.value()->used || otp.value()->expires_at <= now ||
      otp.value()->failures >= kEmailCodeMaxFailures) {
    return WrongCode(kEmailCodeGone);
  }
  if (!IsOneTimeCodeFormat(code) ||
      !crypto::ConstantTimeEquals(EmailCodeHash(person.id, code), otp.value()->code_hash)) {
    store_.CountEmailOtpFailure(person.id);
    return WrongCode(kWrongCode);
  }
  auto used = store_.UseEmailOtp(person.id, now);
  if (!used.ok()) return Unavailable();
  if (!used.value()) return WrongCode(kEmailCodeGone);
  return MfaOutcome();
}

Result<std::vector<std::pair<int64_t, std::string>>> MfaService::OpenRecoveryCodes(
    int64_t person_id) {
  auto codes = store_.RecoveryCodes(person_id);
  if (!codes.ok()) return codes.status();
  std::vector<std::pair<int64_t, std::string>> open;
  for (const store::RecoveryCode& c : codes.value()) {
    if (c.used) continue;
    auto plain = box_.Open(c.code);
    if (!plain.ok()) return plain.status();
    open.emplace_back(c.id, std::string(plain.value().view()));
  }
  return open;
}

MfaOutcome MfaService::VerifyRecovery(const store::Person& person, const std::string& code,
                                      const std::string& ip, int64_t now) {
  const auto typed = NormalizeRecoveryCode(code);
  if (!typed) return WrongCode(kWrongCode);
  auto codes = OpenRecoveryCodes(person.id);
  if (!codes.ok()) return Unavailable();
  // Every code is compared, so the time taken says nothing about which matched.
  int64_t match = 0;
  for (const auto& [id, plain] : codes.value()) {
    if (crypto::ConstantTimeEquals(plain, *typed)) match = id;
  }
  if (match == 0) return WrongCode(kWrongCode);
  const size_t left = codes.value().size() - 1;
  auto used =
      store_.UseRecoveryCode(match, Event(person, person.id, "mfa.recovery_code_used", ip, now,
                                          R"({"remaining":)" + std::to_string(left) + "}"));
  if (!used.ok()) return Unavailable();
  if (!used.value()) return WrongCode(kWrongCode);
  return MfaOutcome();
}

MfaOutcome MfaService::Complete(const store::ActiveSession& pending, const std::string& method,
                                const std::string& ip, int64_t now) {
  // A password sign-in that began before the portal went SSO-only does
  // not finish after it.
  auto settings = settings_.Get(pending.person.portal);
  if (!settings.ok()) return Unavailable();
  if (!AllowsPasswordLogin(settings.value())) {
    return Fail(StatusCode::kPermissionDenied,
                "This portal signs in through single sign-on only now. Use the single "
                "sign-on button.");
  }
  MfaOutcome done = MfaOutcome();
  done.session_token = crypto::RandomToken();
  const Status s = store_.CompleteSession(pending.session.id, crypto::Sha256Hex(done.session_token),
                                          Event(pending.person, pending.person.id, "login.success",
                                                ip, now, R"({"mfa":")" + method + R"("})"));
  if (!s.ok()) return Unavailable();
  // The password step may have found that the password must change; that
  // is asked for only now that the person is fully signed in.
  auto fresh = store_.PersonById(pending.person.id);
  if (fresh.ok() && fresh.value() && fresh.value()->must_change_password) {
    done.sign_in_status = "password_change_required";
  }
  auto challenge = ChallengeFor(pending.person);
  done.setup_suggested = challenge.ok() && challenge.value().setup_suggested;
  return done;
}

MfaOutcome MfaService::SendEmailCode(const store::ActiveSession& pending, const std::string& ip) {
  auto settings = settings_.Get(pending.person.portal);
  if (!settings.ok()) return Unavailable();
  if (pending.session.stage != store::SessionStage::kMfa || !settings.value().mfa.email_otp) {
    return Fail(StatusCode::kInvalidArgument, "email codes are not available to you");
  }
  return SendCodeByEmail(pending.person, ip, "sign in");
}

MfaOutcome MfaService::SendCodeByEmail(const store::Person& person, const std::string& ip,
                                       const char* purpose) {
  const int64_t now = clock_.Now();
  // No new codes while wrong ones are blocked: each would bring fresh tries
  // (and fill the person's inbox).
  if (const int64_t wait = throttle_.BlockedFor(ScopesFor(person, ip), now); wait > 0) {
    return Throttled(wait);
  }
  auto last = store_.GetEmailOtp(person.id);
  if (!last.ok()) return Unavailable();
  // The resend limit guards an unused code; once one was used, signing in
  // again may send a new one at once.
  if (last.value() && !last.value()->used && now - last.value()->sent_at < kEmailResendAfter) {
    const int64_t wait = last.value()->sent_at + kEmailResendAfter - now;
    return ThrottledFor("A code was sent moments ago. You can ask for another in " +
                            std::to_string(wait) + " seconds.",
                        wait);
  }
  char code[8];
  std::snprintf(code, sizeof code, "%06u", randombytes_uniform(1000000));
  auto settings = settings_.Get(person.portal);
  if (!settings.ok()) return Unavailable();
  const std::string& issuer = settings.value().mfa.issuer;
  const bool sign_in = purpose == std::string_view("sign in");
  const std::string body =
      std::string(sign_in ? "Your sign-in code is " : "Your confirmation code is ") + code +
      ".\r\n\r\nIt works once, within 10 minutes. If you did not try to " + purpose +
      (sign_in ? " to " : " at ") + issuer + ", change your password: someone knows it.\r\n";
  const store::OutgoingMail mail{person.email,
                                 sign_in ? "Your sign-in code" : "Your confirmation code",
                                 box_.Seal(body), now + kEmailCodeLifetime};
  const Status s =
      store_.PutEmailOtp(person.id, EmailCodeHash(person.id, code), now + kEmailCodeLifetime, mail,
                         Event(person, person.id, "mfa.email_code_sent", ip, now));
  sodium_memzero(code, sizeof code);
  if (!s.ok()) return Unavailable();
  MfaOutcome sent = MfaOutcome();
  sent.sent_to = MaskEmail(person.email);
  return sent;
}

MfaOutcome MfaService::StartTotpSetup(const store::ActiveSession& who,
                                      const std::string& current_code, const std::string& ip) {
  const store::Person& person = who.person;
  auto portal_settings = settings_.Get(person.portal);
  if (!portal_settings.ok()) return Unavailable();
  const MfaSettings& settings = portal_settings.value().mfa;
  if (!settings.authenticator_app) {
    return Fail(StatusCode::kInvalidArgument,
                "the authenticator app is not enabled for this portal");
  }
  const int64_t now = clock_.Now();
  auto totp = store_.GetTotp(person.id);
  if (!totp.ok()) return Unavailable();
  if (totp.value().enrolled()) {
    // Only a signed-in person moves to a new phone, and only with a code
    // from the current one (which it uses up, as a sign-in would).
    if (who.session.stage != store::SessionStage::kDone) {
      return Fail(StatusCode::kInvalidArgument,
                  "an authenticator app is already set up; sign in with it");
    }
    if (current_code.empty()) {
      return Fail(StatusCode::kInvalidArgument,
                  "current_code: enter a code from the app you use now");
    }
    const std::vector<ThrottleScope> scopes = ScopesFor(person, ip);
    const Throttle::Attempt attempt = throttle_.Begin(scopes, now);
    if (attempt.wait > 0) return Throttled(attempt.wait);
    MfaOutcome checked = VerifyTotp(person, current_code, ip, now);
    if (IsWrongCode(checked)) {
      throttle_.Failed(scopes, attempt);
      store_.Audit(Event(person, person.id, "mfa.failure", ip, now, R"({"method":"totp"})"));
      return Fail(StatusCode::kInvalidArgument, checked.status.message());
    }
    if (!checked.ok()) return checked;
    throttle_.Succeeded(scopes, now);
  }
  // Each setup writes a secret and an audit row: bounded per person.
  const ThrottleScope setups[] = {
      {"setup", "mfa-setup:" + std::to_string(person.id), kSetupLimit, true}};
  if (const Throttle::Attempt a = throttle_.Begin(setups, now); a.wait > 0) {
    return Throttled(a.wait);
  }
  const crypto::SecretBytes secret = crypto::RandomSecret(20);  // 160 bits, as RFC 4226 advises
  const Status s =
      store_.PutPendingTotp(person.id, box_.Seal(secret.view()),
                            Event(person, person.id, "mfa.totp_setup_started", ip, now));
  if (!s.ok()) return Unavailable();
  TotpSetup setup;
  setup.secret = Base32Encode(secret.bytes());
  setup.grouped_key = GroupedKey(setup.secret);
  setup.otpauth_uri = OtpauthUri(settings.issuer, person.email, setup.secret);
  MfaOutcome started = MfaOutcome();
  started.setup = std::move(setup);
  return started;
}

std::pair<std::vector<std::string>, std::vector<std::vector<uint8_t>>>
MfaService::NewRecoveryCodes() const {
  std::pair<std::vector<std::string>, std::vector<std::vector<uint8_t>>> codes;
  for (int i = 0; i < kRecoveryCodeCount; ++i) {
    const crypto::SecretBytes random = crypto::RandomSecret(8);
    codes.first.push_back(FormatRecoveryCode(random.bytes()));
    codes.second.push_back(box_.Seal(codes.first.back()));
  }
  return codes;
}

MfaOutcome MfaService::ConfirmTotp(const store::ActiveSession& who, const std::string& code,
                                   const std::string& ip) {
  const store::Person& person = who.person;
  const int64_t now = clock_.Now();
  auto totp = store_.GetTotp(person.id);
  if (!totp.ok()) return Unavailable();
  if (totp.value().pending_secret.empty()) {
    return Fail(StatusCode::kInvalidArgument, "start the authenticator setup first");
  }
  if (totp.value().enrolled() && who.session.stage != store::SessionStage::kDone) {
    return Fail(StatusCode::kInvalidArgument,
                "an authenticator app is already set up; sign in with it");
  }
  const std::vector<ThrottleScope> scopes = ScopesFor(person, ip);
  const Throttle::Attempt attempt = throttle_.Begin(scopes, now);
  if (attempt.wait > 0) return Throttled(attempt.wait);
  auto key = box_.Open(totp.value().pending_secret);
  if (!key.ok()) return Unavailable();
  const auto step = IsOneTimeCodeFormat(code)
                        ? crypto::MatchTotp(key.value().bytes(), code, now, -1)
                        : std::nullopt;
  if (!step) {
    throttle_.Failed(scopes, attempt);
    store_.Audit(Event(person, person.id, "mfa.totp_setup_failed", ip, now));
    // Enrolling, the person is signed in or mid-sign-in with a password:
    // a mistyped code is bad input, not a failed credential.
    return Fail(StatusCode::kInvalidArgument,
                "That code does not match. Check the time on your phone and enter the code your "
                "app shows now.");
  }
  throttle_.Succeeded(scopes, now);
  auto [plain, sealed] = NewRecoveryCodes();
  if (!store_
           .ConfirmTotp(person.id, totp.value().pending_secret, *step, sealed,
                        Event(person, person.id, "mfa.totp_enrolled", ip, now))
           .ok()) {
    return Unavailable();
  }
  MfaOutcome done = MfaOutcome();
  if (who.session.stage != store::SessionStage::kDone) {
    done = Complete(who, "totp", ip, now);
    if (!done.ok()) return done;
  }
  done.setup_suggested = false;
  done.recovery_codes = std::move(plain);
  return done;
}

std::optional<std::string> MfaService::WhyNotHandle(const store::Person& admin,
                                                    const store::Person& person) {
  if (person.id == admin.id) {
    return "you cannot handle your own second factor here; use your security page";
  }
  if (PermissionsOf(person).administrator && !PermissionsOf(admin).administrator) {
    return "only an Administrator can handle another Administrator's MFA";
  }
  return std::nullopt;
}

Result<std::pair<store::Person, MfaStatus>> MfaService::Lookup(const store::Person& viewer,
                                                               store::Portal portal,
                                                               const std::string& email) {
  if (!CanManageMfa(viewer)) {
    return Status::Of(StatusCode::kPermissionDenied,
                      "you do not have Access to Agent Recovery Code and Reset MFA");
  }
  auto person = store_.FindPerson(portal, NormalizeEmail(email));
  if (!person.ok()) return person.status();
  if (!person.value()) {
    return Status::Of(StatusCode::kNotFound, "nobody with that email in that portal");
  }
  auto status = StatusOf(*person.value());
  if (!status.ok()) return status.status();
  return std::make_pair(*person.value(), status.value());
}

Result<MfaStatus> MfaService::StatusOf(const store::Person& person) {
  MfaStatus status;
  auto settings = settings_.Get(person.portal);
  if (!settings.ok()) return settings.status();
  status.settings = settings.value().mfa;
  auto totp = store_.GetTotp(person.id);
  if (!totp.ok()) return totp.status();
  status.totp_enrolled = totp.value().enrolled();
  status.enrolled_at = totp.value().enrolled_at;
  auto codes = store_.RecoveryCodes(person.id);
  if (!codes.ok()) return codes.status();
  for (const store::RecoveryCode& c : codes.value()) status.recovery_codes_remaining += !c.used;
  auto last = store_.LastRecoveryRequest(person.id);
  if (!last.ok()) return last.status();
  status.last_recovery_request = last.value();
  return status;
}

MfaOutcome MfaService::RequestRecovery(const store::Person& person, const std::string& ip) {
  const int64_t now = clock_.Now();
  auto added =
      store_.AddRecoveryRequest(person.id, now - kRecoveryRequestInterval,
                                Event(person, person.id, "mfa.recovery_requested", ip, now));
  if (!added.ok()) return Unavailable();
  if (added.value()) return MfaOutcome();
  auto last = store_.LastRecoveryRequest(person.id);
  const int64_t wait =
      std::max<int64_t>(1, (last.ok() ? last.value() : now) + kRecoveryRequestInterval - now);
  return ThrottledFor("You asked for new recovery codes recently. You can ask again in " +
                          Minutes(wait) + "; an administrator has your earlier request.",
                      wait);
}

bool MfaService::CanManageMfa(const store::Person& person) {
  return PermissionsOf(person).manage_agent_mfa;
}

Result<std::vector<store::RecoveryRequestRow>> MfaService::PendingRequests() {
  return store_.PendingRecoveryRequests();
}

std::variant<store::Person, MfaOutcome> MfaService::Target(const store::ActiveSession& admin,
                                                           int64_t person_id) {
  auto person = store_.PersonById(person_id);
  if (!person.ok()) return Unavailable();
  if (!person.value()) return Fail(StatusCode::kNotFound, "no such person");
  if (auto why = WhyNotHandle(admin.person, *person.value())) {
    return Fail(StatusCode::kPermissionDenied, *why);
  }
  if (Status s = RequireRecentAuthentication(admin.session, clock_.Now()); !s.ok()) {
    return Fail(StatusCode::kReauthenticationRequired, s.message());
  }
  return std::move(*person.value());
}

MfaOutcome MfaService::ViewRecoveryCodes(const store::ActiveSession& admin, int64_t person_id,
                                         const std::string& ip) {
  auto target = Target(admin, person_id);
  if (auto* refused = std::get_if<MfaOutcome>(&target)) return *refused;
  const store::Person& person = std::get<store::Person>(target);
  auto codes = OpenRecoveryCodes(person_id);
  if (!codes.ok()) return Unavailable();
  // The view itself is the event (whoever saw the codes could use them):
  // no record, no codes.
  if (!store_
           .Audit(Event(person, admin.person.id, "mfa.recovery_codes_viewed", ip, clock_.Now(),
                        R"({"remaining":)" + std::to_string(codes.value().size()) + "}"))
           .ok()) {
    return Unavailable();
  }
  MfaOutcome shown = MfaOutcome();
  for (auto& [id, plain] : codes.value()) shown.recovery_codes.push_back(std::move(plain));
  return shown;
}

MfaOutcome MfaService::RegenerateRecoveryCodes(const store::ActiveSession& admin, int64_t person_id,
                                               const std::string& ip) {
  auto target = Target(admin, person_id);
  if (auto* refused = std::get_if<MfaOutcome>(&target)) return *refused;
  auto [plain, sealed] = NewRecoveryCodes();
  if (!store_
           .ReplaceRecoveryCodes(person_id, sealed,
                                 Event(std::get<store::Person>(target), admin.person.id,
                                       "mfa.recovery_codes_regenerated", ip, clock_.Now()))
           .ok()) {
    return Unavailable();
  }
  MfaOutcome done = MfaOutcome();
  done.recovery_codes = std::move(plain);
  return done;
}

MfaOutcome MfaService::Reset(const store::ActiveSession& admin, int64_t person_id,
                             const std::string& ip) {
  auto target = Target(admin, person_id);
  if (auto* refused = std::get_if<MfaOutcome>(&target)) return *refused;
  if (!store_
           .ResetMfa(person_id, Event(std::get<store::Person>(target), admin.person.id, "mfa.reset",
                                      ip, clock_.Now()))
           .ok()) {
    return Unavailable();
  }
  return MfaOutcome();
}

}  // namespace deskgate::services
