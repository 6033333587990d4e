// SsoService: single sign-on through each portal's OpenID provider
// (authorization code flow with PKCE, state and nonce), its configuration,
// and the test sign-in that must succeed before a portal may go SSO-only.
//
// Promises:
//  - A state works once, for 10 minutes, and only in the browser that
//    began the sign-in (a binding cookie whose hash the attempt keeps);
//    the PKCE verifier and nonce are sealed at rest.
//  - An ID token signs someone in only after its RS256 signature, issuer,
//    audience, times, nonce and the tenant/domain restrictions pass
//    (OidcClient, shared/id_token.h). Any refusal is audited and creates,
//    links and changes nothing.
//  - Accounts are found by the provider's stable subject once linked, by a
//    verified email the first time only (and only while the account has no
//    subject at that issuer yet). Contacts may be created when the admin
//    allows it; agents never are.
//  - SSO sessions are ordinary complete sessions (no MFA step: the provider
//    does its own), with the same timeouts and logout.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "server/crypto/secret_box.h"
#include "server/services/clock.h"
#include "server/services/oidc_client.h"
#include "server/services/settings_service.h"
#include "server/services/throttle.h"
#include "server/store/store.h"
#include "shared/id_token.h"
#include "shared/sso_settings.h"

namespace deskgate::services {

// How the sign-in page should look for a portal.
struct LoginOptions {
  bool password = true;
  bool sso = false;
  std::string sso_label;  // "Microsoft" or "single sign-on"
};

struct SsoStart {
  std::string authorize_url;
};

// The provider's answer at the redirect URL.
struct SsoCallback {
  store::Portal portal = store::Portal::kAgent;
  std::string state;
  std::string code;
  std::string error;    // the provider's error code, when it sent one
  std::string binding;  // the browser's binding cookie
  std::string ip;
  std::string user_agent;
};

struct SsoOutcome {
  enum class Kind { kSignedIn, kTested, kRefused };
  Kind kind = Kind::kRefused;
  std::string purpose = "login";  // where to send the browser: "login" or "test"
  std::string session_token;      // kSignedIn
  std::string reason;             // kRefused: a short code for the page ("state", "signature", …)
  std::string message;            // kRefused: for people
};

class SsoService {
 public:
  static constexpr int64_t kAttemptSeconds = 10 * 60;
  static constexpr int kStartsPerAddress = 300;
  // Refused answers at the redirect URL per address per Throttle::kWindow.
  static constexpr int kRefusalsPerAddress = 100;

  SsoService(store::Store& store, const Clock& clock, const crypto::SecretBox& box,
             SettingsService& settings, OidcClient& oidc);

  // The base URL people reach deskgate at (scheme://host[:port]); the
  // redirect URL registered at the provider derives from it. Set once,
  // before serving.
  void SetPublicOrigin(std::string origin) { public_origin_ = std::move(origin); }
  std::string RedirectUrl(store::Portal portal) const;

  LoginOptions LoginOptionsFor(store::Portal portal);

  // The settings API's view: settings (never the secret), whether a secret
  // is stored, the redirect URL, the last successful test (and until when
  // it allows SSO-only), and `viewer`'s own last failed test, if recent.
  Result<std::string> ProviderJson(store::Portal portal, int64_t viewer);
  Status PutProvider(store::Portal portal, const std::string& json, const store::Person& admin,
                     const std::string& ip);
  Status DeleteProvider(store::Portal portal, const store::Person& admin, const std::string& ip);

  // Begins a sign-in ("login") or an admin's test sign-in ("test", with
  // `admin`). `binding` is the browser's binding cookie value. Each start
  // stores an attempt, so starts are limited per address
  // (kStartsPerAddress per Throttle::kWindow); when over, `retry_after` is set.
  Result<SsoStart> Start(store::Portal portal, const std::string& purpose,
                         const store::Person* admin, const std::string& binding,
                         const std::string& ip, int64_t& retry_after);
  SsoOutcome Finish(const SsoCallback& callback);

  // The provider's logout URL for a session that signed in through it, or "".
  std::string EndSessionUrl(store::Portal portal);

 private:
  struct Provider {
    SsoSettings settings;
    store::SsoProviderRow row;
  };
  // The stored provider, its secret still sealed (most callers need none).
  Result<std::optional<Provider>> LoadProvider(store::Portal portal);
  // The client secret, for the token request only; empty for a public client.
  Result<crypto::SecretBytes> OpenSecret(const Provider& provider) const;
  static std::vector<ThrottleScope> CallbackScopes(const std::string& ip);
  // Audits and counts a refused sign-in; a failed test is remembered for `tester`.
  SsoOutcome Refuse(const SsoCallback& callback, const std::string& purpose,
                    const std::string& reason, const std::string& message,
                    std::optional<int64_t> tester = std::nullopt);
  // The account an identity belongs to; person_id 0 with link = create.
  struct AccountMatch {
    int64_t person_id = 0;
    bool link = false;
    std::string how;  // "subject", "email" or "created"
  };
  Result<AccountMatch> MatchAccount(store::Portal portal, const SsoSettings& settings,
                                    const ProviderIdentity& identity);

  // An admin's last failed test sign-in, kept in memory for the settings
  // page to explain (the redirect back carries only a reason code, so no
  // link can put words on that page).
  struct TestFailure {
    int64_t at = 0;
    std::string message;
  };
  void RecordTestFailure(store::Portal portal, std::optional<int64_t> person,
                         const std::string& message);

  store::Store& store_;
  const Clock& clock_;
  const crypto::SecretBox& box_;
  SettingsService& settings_;
  OidcClient& oidc_;
  Throttle throttle_;
  std::string public_origin_;
  std::mutex failures_mutex_;
  std::map<std::pair<store::Portal, int64_t>, TestFailure> test_failures_;
};

}  // namespace deskgate::services
