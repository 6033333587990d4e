// MfaService: the second step of password sign-in, enrollment in an
// authenticator app, email codes, recovery codes and administrators'
// recovery tools. docs/mfa.md describes the HTTP contract on top of it.
//
// Promises: TOTP codes are accepted for ±1 step and never twice (a replay
// is audited); email codes are stored keyed-hashed, live 10 minutes, die
// after use or 5 wrong tries, and are sent at most once a minute; recovery
// codes are sealed and each works once; every wrong code counts against
// per-account, per-address and per-pair throttles; every event is audited.
// SSO sign-ins never reach this service (the provider does its own MFA).
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "server/crypto/secret_box.h"
#include "server/services/clock.h"
#include "server/services/settings_service.h"
#include "server/services/throttle.h"
#include "server/store/store.h"
#include "shared/mfa/mfa_policy.h"

namespace deskgate::services {

struct TotpSetup {
  std::string secret;       // base32, no padding
  std::string grouped_key;  // the same in groups of four
  std::string otpauth_uri;
};

// What an MFA operation came to: `status` (its code says what failed —
// kUnauthenticated for a wrong code while signing in, kInvalidArgument for
// a wrong code or bad input while enrolling, kThrottled with retry_after,
// kPermissionDenied, kReauthenticationRequired, kNotFound, kUnavailable;
// error_response.h maps it to HTTP) and, on success, what it produced.
struct MfaOutcome {
  static MfaOutcome Of(Status status) {
    MfaOutcome o;
    o.status = std::move(status);
    return o;
  }
  bool ok() const { return status.ok(); }

  Status status;
  std::string session_token;          // set when a pending sign-in completed
  std::string sign_in_status = "ok";  // "ok" or "password_change_required" after sign-in
  bool setup_suggested = false;
  std::vector<std::string> recovery_codes;  // a new set, in plain text, shown once
  std::string sent_to;                      // the masked address an email code went to
  std::optional<TotpSetup> setup;           // a new authenticator secret
};

// What the signed-in person sees about their own MFA.
struct MfaStatus {
  MfaSettings settings;
  bool totp_enrolled = false;
  int64_t enrolled_at = 0;
  int recovery_codes_remaining = 0;
  int64_t last_recovery_request = 0;
};

class MfaService {
 public:
  static constexpr int64_t kPendingLifetime = 15 * 60;  // password step to second factor
  static constexpr int64_t kEmailCodeLifetime = 10 * 60;
  static constexpr int64_t kEmailResendAfter = 60;
  static constexpr int kEmailCodeMaxFailures = 5;
  static constexpr int64_t kRecoveryRequestInterval = 2 * 3600;
  static constexpr int kRecoveryCodesLow = 3;  // warn at this many or fewer
  static constexpr int kPairLimit = 5;         // wrong codes per account and address
  static constexpr int kAccountLimit = 10;
  static constexpr int kAddressLimit = 50;
  static constexpr int kSetupLimit = 10;  // setups started per person per window

  MfaService(store::Store& store, const Clock& clock, SettingsService& settings,
             const crypto::SecretBox& box)
      : store_(store), clock_(clock), settings_(settings), box_(box), throttle_(store) {}

  // What `person`, who just proved who they are by `method`, is asked next.
  // An error when their enrollment cannot be read: signing in must then
  // fail, not skip or weaken the second step.
  Result<MfaChallenge> ChallengeFor(const store::Person& person,
                                    SignInMethod method = SignInMethod::kPassword);

  // The sign-in waiting for a second factor (or for enrollment) that
  // `token` holds on `portal`; nullopt when there is none or it is older
  // than kPendingLifetime.
  std::optional<store::ActiveSession> Pending(const std::string& token, store::Portal portal);

  // Checks a code for a pending sign-in; on success the session is signed
  // in under a new token (MfaOutcome::session_token).
  MfaOutcome Verify(const store::ActiveSession& pending, const std::string& method,
                    const std::string& code, const std::string& ip);
  MfaOutcome SendEmailCode(const store::ActiveSession& pending, const std::string& ip);

  // Enrollment, for a pending sign-in at the setup stage (only while not
  // enrolled) or a signed-in person. Setup draws a new secret; Confirm makes
  // it the enrolled one once a code from it verifies, issues recovery codes
  // and, for a pending sign-in, completes it. Someone already enrolled
  // (moving to a new phone) must first give a code from the current app, so
  // a stolen session alone cannot take the second factor over.
  MfaOutcome StartTotpSetup(const store::ActiveSession& who, const std::string& current_code,
                            const std::string& ip);
  MfaOutcome ConfirmTotp(const store::ActiveSession& who, const std::string& code,
                         const std::string& ip);

  Result<MfaStatus> StatusOf(const store::Person& person);
  // The person with `email` on `portal` and their MFA status: for those who
  // manage MFA (kPermissionDenied for anyone else, before any lookup, so
  // the answer tells them nothing); kNotFound when nobody has that address.
  // Why `admin` may not handle `person`'s second factor (their own, or an
  // Administrator's without being one), or nullopt when they may. The page
  // disables the actions with this reason; the actions refuse with it.
  static std::optional<std::string> WhyNotHandle(const store::Person& admin,
                                                 const store::Person& person);

  Result<std::pair<store::Person, MfaStatus>> Lookup(const store::Person& viewer,
                                                     store::Portal portal,
                                                     const std::string& email);

  // Step-up: the second factor a signed-in person gives again before a
  // dangerous change (AuthService::Reauthenticate). The methods are those
  // their sign-in offers, recovery codes aside (those are for a lost
  // device); none when their sign-in asks no second factor. Codes count
  // against the same throttles as at sign-in.
  Result<std::vector<std::string>> StepUpMethods(const store::Person& person);
  MfaOutcome VerifyStepUp(const store::Person& person, const std::string& method,
                          const std::string& code, const std::string& ip);
  MfaOutcome SendStepUpEmailCode(const store::Person& person, const std::string& ip);
  // Asks administrators for new recovery codes: once per kRecoveryRequestInterval.
  MfaOutcome RequestRecovery(const store::Person& person, const std::string& ip);

  // Administrators (see CanManageMfa). Each takes the acting person's
  // session. Nobody handles their own second factor here (a stolen session
  // would otherwise read its owner's codes); an Administrator's MFA is
  // handled only by another Administrator (the recovery permission alone
  // must not open the way to the admin role); and every one of these needs
  // a recent re-authentication (step_up.h).
  static bool CanManageMfa(const store::Person& person);
  Result<std::vector<store::RecoveryRequestRow>> PendingRequests();
  MfaOutcome ViewRecoveryCodes(const store::ActiveSession& admin, int64_t person_id,
                               const std::string& ip);
  MfaOutcome RegenerateRecoveryCodes(const store::ActiveSession& admin, int64_t person_id,
                                     const std::string& ip);
  MfaOutcome Reset(const store::ActiveSession& admin, int64_t person_id, const std::string& ip);

 private:
  // Checks a code of a method the person's sign-in offers, under the
  // throttles; audits wrong ones.
  MfaOutcome CheckCode(const store::Person& person, const std::string& method,
                       const std::string& code, const std::string& ip, bool allow_recovery);
  MfaOutcome SendCodeByEmail(const store::Person& person, const std::string& ip,
                             const char* purpose);
  MfaOutcome VerifyTotp(const store::Person& person, const std::string& code, const std::string& ip,
                        int64_t now);
  MfaOutcome VerifyEmail(const store::Person& person, const std::string& code, int64_t now);
  MfaOutcome VerifyRecovery(const store::Person& person, const std::string& code,
                            const std::string& ip, int64_t now);
  // Signs a pending session in under a new token.
  MfaOutcome Complete(const store::ActiveSession& pending, const std::string& method,
                      const std::string& ip, int64_t now);
  // Ten new codes: plain text for the person, sealed for the store.
  std::pair<std::vector<std::string>, std::vector<std::vector<uint8_t>>> NewRecoveryCodes() const;
  std::vector<ThrottleScope> ScopesFor(const store::Person& person, const std::string& ip) const;
  // The unused codes of a person, opened.
  Result<std::vector<std::pair<int64_t, std::string>>> OpenRecoveryCodes(int64_t person_id);
  std::string EmailCodeHash(int64_t person_id, const std::string& code) const;
  // The person an administrator acts on, or the outcome refusing it.
  std::variant<store::Person, MfaOutcome> Target(const store::ActiveSession& admin,
                                                 int64_t person_id);
  store::AuditEvent Event(const store::Person& about, std::optional<int64_t> actor,
                          const char* event, const std::string& ip, int64_t now,
                          std::string details = "{}") const;

  store::Store& store_;
  const Clock& clock_;
  SettingsService& settings_;
  const crypto::SecretBox& box_;
  Throttle throttle_;
};

}  // namespace deskgate::services
