// AuthService: password sign-in per portal, sessions and sign-out.
//
// Unknown accounts and wrong passwords get the same answer after the same
// work (a dummy hash). Failures are throttled per account-and-address pair
// (tight), per account (looser, so a stranger cannot lock an account for
// good: blocks last one window) and per address.
#pragma once

#include <optional>
#include <string>

#include "server/crypto/password_hasher.h"
#include "server/services/clock.h"
#include "server/services/mfa_service.h"
#include "server/services/settings_service.h"
#include "server/services/step_up.h"
#include "server/services/throttle.h"
#include "server/store/store.h"

namespace deskgate::services {

struct LoginRequest {
  store::Portal portal;
  std::string email;
  std::string password;
  std::string ip;
  std::string user_agent;
};

// What a password sign-in came to. `status` says what failed:
// kUnauthenticated (the email or password is wrong, one answer for both),
// kThrottled (with retry_after), kPermissionDenied (the portal signs in
// through single sign-on only), kUnavailable (the database).
struct LoginResult {
  static LoginResult Of(Status status) {
    LoginResult r;
    r.status = std::move(status);
    return r;
  }
  bool ok() const { return status.ok(); }

  Status status;
  std::string session_token;          // set when ok
  std::string sign_in_status = "ok";  // the contract's status when ok
  MfaChallenge mfa;                   // what the second step asks, when status is mfa_*
};

using SessionInfo = store::ActiveSession;

class AuthService {
 public:
  static constexpr int kPairLimit = 5;
  static constexpr int kAccountLimit = 20;
  static constexpr int kAddressLimit = 50;
  static constexpr int64_t kActivityGranularity = 60;  // seconds between last-seen updates

  AuthService(store::Store& store, crypto::PasswordHasher& hasher, const Clock& clock,
              SettingsService& settings, MfaService& mfa)
      : store_(store),
        hasher_(hasher),
        clock_(clock),
        settings_(settings),
        mfa_(mfa),
        throttle_(store) {}

  LoginResult Login(const LoginRequest& request);
  // The live session for a token, extending its idle timer; nullopt when
  // unknown, idle too long, past its lifetime (expired ones are removed) or
  // still waiting for its second factor.
  // The timeouts are the portal's Session Configuration.
  std::optional<SessionInfo> Authenticate(const std::string& token, const std::string& ip);

  // When the signed-in session `token` ends unless used again (idle) and
  // at the latest (absolute), read without counting as activity: the pages'
  // timeout warning asks it every minute. nullopt when it is not signed in
  // (`timed_out` says whether that is because it sat idle or ran out).
  struct SessionDeadlines {
    int64_t now = 0;
    int64_t idle_ends_at = 0;
    int64_t ends_at = 0;
    int idle_timeout_minutes = 0;
    // Idle too long or past its lifetime: the session is over.
    bool Passed() const { return now > idle_ends_at || now > ends_at; }
  };
  std::optional<SessionDeadlines> Deadlines(const std::string& token, bool* timed_out = nullptr);
  // The one reading of the portal's timeouts, for Authenticate and Deadlines.
  static SessionDeadlines DeadlinesOf(const store::Session& session, const SessionSettings& limits,
                                      int64_t now);
  // Ends the session; returns it (its portal and how it signed in).
  Result<store::Session> Logout(const std::string& token, const std::string& ip);

  // The signed-in person's sessions, most recently seen first.
  Result<std::vector<store::SessionRow>> SessionsOf(const SessionInfo& me);
  // Ends one of the person's own sessions; kNotFound for anyone else's, or
  // one already gone.
  Status EndSession(const SessionInfo& me, int64_t session_id, const std::string& ip);
  // Ends every session of theirs but this one; returns how many ended.
  Result<int64_t> EndOtherSessions(const SessionInfo& me, const std::string& ip);

  int64_t Now() const { return clock_.Now(); }

  // The password policy of a portal.
  // The portal's password policy as JSON, for the pages' live checklist.
  Result<std::string> PolicyJsonFor(store::Portal portal) {
    return settings_.PasswordPolicyJson(portal);
  }

  // Changes the signed-in person's password: the current one must verify,
  // the new one must pass the portal's policy, including the reuse rule
  // against their last N passwords. Their other sessions end. Errors start
  // with the field they concern ("current_password: …", "new_password: …").
  Status ChangePassword(const SessionInfo& session, const std::string& current,
                        const std::string& replacement, const std::string& ip);

  // Step-up (step_up.h). What a re-authentication of this person takes: a password (false for
  // people who have none) and the second-factor methods (none, or some of
  // "totp", "email").
  struct StepUp {
    bool password = false;
    std::vector<std::string> methods;
  };
  Result<StepUp> StepUpFor(const store::Person& person);
  // Checks the password (and the code by `method` when one is owed) and
  // records the re-authentication on the session. Wrong answers are
  // throttled per person like password changes and audited.
  Status Reauthenticate(const SessionInfo& session, const std::string& password,
                        const std::string& method, const std::string& code, const std::string& ip);

  // An administrator makes someone change their password at next sign-in,
  // signing them out everywhere.
  Status RequirePasswordChange(const store::Person& admin, int64_t person_id,
                               const std::string& ip);

 private:
  // Why a person who just proved their password must change it first, or
  // "" when they need not: an admin's request, expiry, or (with
  // enforce_policy next_login) a policy the password no longer passes.
  Result<std::string> PasswordChangeReason(const store::Person& person, const std::string& password,
                                           int64_t now);

  store::Store& store_;
  crypto::PasswordHasher& hasher_;
  const Clock& clock_;
  SettingsService& settings_;
  MfaService& mfa_;
  Throttle throttle_;
};

}  // namespace deskgate::services
