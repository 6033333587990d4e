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
//  - Accounts are found by the provider's stable subject once linked. The
//    first link of an existing account is proven by its holder, never by
//    the provider's email claim alone: a verified email that names an
//    unlinked account leaves a pending link in that browser, which the
//    holder confirms by signing in with their password (and second factor)
//    there, or through a one-time link mailed to the account's address and
//    opened there. Only where an Administrator marked the provider's emails
//    as trusted (link_by_email) does the email link at once, and never for
//    an Administrator's account. An admin's successful test sign-in links
//    their own account (they are signed in, and came back as themselves).
//    Contacts may be created when the admin allows it; agents never are.
//  - Provider changes need a recent re-authentication (step_up.h); on the
//    agent portal, and wherever emails are trusted, an Administrator; every
//    change of the agent portal's provider is mailed to every Administrator.
//  - SSO sessions are ordinary complete sessions (no MFA step: the provider
//    does its own), with the same timeouts and logout.
#pragma once

#include <functional>
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
#include "shared/sso/id_token.h"
#include "shared/sso/sso_settings.h"

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
  // kLinkPending: the identity names an existing account that its holder
  // must confirm (see PendingLinkFor).
  enum class Kind { kSignedIn, kTested, kLinkPending, kRefused };
  Kind kind = Kind::kRefused;
  std::string purpose = "login";  // where to send the browser: "login", "test" or "invitation"
  std::string session_token;      // kSignedIn
  std::string reason;             // kRefused: a short code for the page ("state", "signature", …)
  std::string message;            // kRefused: for people
};

// A link waiting in this browser, as the sign-in page shows it.
struct PendingLinkView {
  std::string masked_email;  // the account's address, masked
  bool password = false;     // the holder can confirm by signing in with a password
  bool mailed = false;       // a confirmation link went to the account's address
};

class SsoService {
 public:
  static constexpr int64_t kAttemptSeconds = 10 * 60;
  static constexpr int kStartsPerAddress = 300;
  // Refused answers at the redirect URL per address per Throttle::kWindow.
  static constexpr int kRefusalsPerAddress = 100;
  // Confirmation mails per account per Throttle::kWindow: a stranger's
  // provider cannot fill someone's inbox.
  static constexpr int kLinkMailsPerAccount = 3;

  SsoService(store::Store& store, const Clock& clock, const crypto::SecretBox& box,
             SettingsService& settings, OidcClient& oidc);

  // The base URL people reach deskgate at (scheme://host[:port]); the
  // redirect URL registered at the provider derives from it. Set once,
  // before serving.
  void SetPublicOrigin(std::string origin) { public_origin_ = std::move(origin); }
  // Whether mail can go out (an SMTP server is configured): confirmation
  // links are mailed only then. Set once, before serving.
  void SetMailConfigured(std::function<bool()> configured) {
    mail_configured_ = std::move(configured);
  }
  std::string RedirectUrl(store::Portal portal) const;

  Result<LoginOptions> LoginOptionsFor(store::Portal portal);

  // The settings API's view: settings (never the secret), whether a secret
  // is stored, the redirect URL, the last successful test (and until when
  // it allows SSO-only), and `viewer`'s own last failed test, if recent.
  Result<std::string> ProviderJson(store::Portal portal, int64_t viewer);
  // `admin` is the acting session (step-up and the Administrator rules above).
  Status PutProvider(store::Portal portal, const JsonValue& body, const store::ActiveSession& admin,
                     const std::string& ip);
  Status DeleteProvider(store::Portal portal, const store::ActiveSession& admin,
                        const std::string& ip);

  // Begins a sign-in ("login"), an admin's test sign-in ("test", with
  // `admin`) or the acceptance of an invitation ("invitation", with
  // `invitation_id`, a usable invitation the caller checked). `binding` is
  // the browser's binding cookie value. Each start stores an attempt, so
  // starts are limited per address (kStartsPerAddress per
  // Throttle::kWindow); when over, `retry_after` is set.
  //
  // An invitation's sign-in links the identity the provider vouches for to
  // the invited person, whatever its email says: the one-time link proved
  // the account is theirs. It is refused when that identity is linked to
  // someone else already, and the invitation is used up with the link.
  Result<SsoStart> Start(store::Portal portal, const std::string& purpose,
                         const store::Person* admin, std::optional<int64_t> invitation_id,
                         const std::string& binding, const std::string& ip, int64_t& retry_after);
  SsoOutcome Finish(const SsoCallback& callback);

  // The provider's logout URL for a session that signed in through it, or "".
  std::string EndSessionUrl(store::Portal portal);

  // Pending links, by the browser's binding cookie. PendingLinkFor tells
  // the sign-in page what to offer (nullopt: none). ConfirmLinkBySignIn
  // links it for `session`, a password sign-in of the same person that
  // began in that browser after the link was left (no older session, a
  // stolen one perhaps, can). ConfirmLinkByMail
  // checks the mailed token and signs the holder in (the new session's
  // token). Each works once; kNotFound when there is nothing to confirm.
  Result<std::optional<PendingLinkView>> PendingLinkFor(store::Portal portal,
                                                        const std::string& binding);
  Status ConfirmLinkBySignIn(store::Portal portal, const std::string& binding,
                             const store::ActiveSession& session, const std::string& ip);
  Result<std::string> ConfirmLinkByMail(store::Portal portal, const std::string& binding,
                                        const std::string& token, const std::string& ip,
                                        const std::string& user_agent);

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
  // The account an identity belongs to; person_id 0 with link = create;
  // `confirm`: an existing account whose holder must confirm the link.
  struct AccountMatch {
    int64_t person_id = 0;
    bool link = false;
    bool confirm = false;
    std::string how;  // "subject", "email", "created" or "pending"
  };
  Result<AccountMatch> MatchAccount(store::Portal portal, const SsoSettings& settings,
                                    const ProviderIdentity& identity);
  // The rest of an invitation's sign-in, once the ID token passed.
  SsoOutcome AcceptInvitation(const SsoCallback& cb, const store::SsoAttempt& attempt,
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
  // Leaves a pending link for `match` in the callback's browser, mails the
  // account a confirmation link (within kLinkMailsPerAccount) and audits.
  SsoOutcome LeavePendingLink(const SsoCallback& cb, const store::SsoAttempt& attempt,
                              const ProviderIdentity& identity, int64_t person_id);
  // Who may change the portal's provider, from `before` to `after` (either
  // may be null: added, removed): kOk or why not.
  Status MayChangeProvider(store::Portal portal, const SsoSettings* before,
                           const SsoSettings* after, const store::ActiveSession& admin);
  // Mail to every Administrator about a change of the agent portal's provider.
  std::vector<store::OutgoingMail> ProviderChangeNotices(store::Portal portal,
                                                         const std::string& what,
                                                         const store::Person& admin,
                                                         const std::string& ip);

  store::Store& store_;
  const Clock& clock_;
  const crypto::SecretBox& box_;
  SettingsService& settings_;
  OidcClient& oidc_;
  Throttle throttle_;
  std::string public_origin_;
  std::function<bool()> mail_configured_ = [] { return false; };
  std::mutex failures_mutex_;
  std::map<std::pair<store::Portal, int64_t>, TestFailure> test_failures_;
};

}  // namespace deskgate::services
