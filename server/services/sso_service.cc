#include "server/services/sso_service.h"

#include "server/crypto/tokens.h"
#include "server/services/accounts.h"
#include "server/services/people_service.h"
#include "server/services/permissions.h"
#include "server/services/step_up.h"
#include "shared/core/json_writer.h"
#include "shared/core/url_encoding.h"
#include "shared/sso/id_token.h"
#include "shared/sso/jwt.h"

namespace deskgate::services {
namespace {

constexpr const char* kBase64UrlAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// The provider's error code, reduced to what can safely go in a log.
std::string SafeErrorCode(const std::string& error) {
  std::string out;
  for (char c : error.substr(0, 64)) {
    if ((c >= 'a' && c <= 'z') || c == '_') out.push_back(c);
  }
  return out.empty() ? "error" : out;
}

std::string ReasonOf(const Status& status) {
  const std::string& m = status.message();
  const size_t colon = m.find(':');
  return colon == std::string::npos ? "error" : m.substr(0, colon);
}

std::string JsonDetails(std::initializer_list<std::pair<const char*, std::string>> fields) {
  JsonWriter w;
  w.BeginObject();
  for (const auto& [key, value] : fields) w.Key(key).String(value);
  return w.EndObject().Take();
}

// The sealed attempt secrets: the PKCE verifier and the nonce, both
// base64url, joined by a dot.
std::string JoinSecrets(const std::string& verifier, const std::string& nonce) {
  return verifier + "." + nonce;
}

}  // namespace

SsoService::SsoService(store::Store& store, const Clock& clock, const crypto::SecretBox& box,
                       SettingsService& settings, OidcClient& oidc)
    : store_(store), clock_(clock), box_(box), settings_(settings), oidc_(oidc), throttle_(store) {}

std::string SsoService::RedirectUrl(store::Portal portal) const {
  return public_origin_ + "/api/" + store::PortalName(portal) + "/sso/callback";
}

Result<std::optional<SsoService::Provider>> SsoService::LoadProvider(store::Portal portal) {
  auto row = store_.GetSsoProvider(portal);
  if (!row.ok()) return row.status();
  if (!row.value()) return std::optional<Provider>();
  auto settings = ParseSsoSettings(row.value()->settings_json, portal == store::Portal::kContact);
  if (!settings.ok()) {
    return Status::Of(StatusCode::kUnavailable, "the stored provider settings are invalid");
  }
  return std::optional<Provider>(Provider{std::move(settings).value(), std::move(*row.value())});
}

Result<crypto::SecretBytes> SsoService::OpenSecret(const Provider& provider) const {
  if (provider.row.client_secret.empty()) return crypto::SecretBytes();  // a public client
  auto opened = box_.Open(provider.row.client_secret);
  if (!opened.ok())
    return Status::Of(StatusCode::kUnavailable,
                      "the client secret cannot be opened (master key changed?)");
  return opened;
}

Result<LoginOptions> SsoService::LoginOptionsFor(store::Portal portal) {
  auto read = settings_.Get(portal);
  if (!read.ok()) return read.status();
  const AuthSettings& settings = read.value();
  LoginOptions options;
  options.password = AllowsPasswordLogin(settings);
  options.sso = UsesSingleSignOn(settings);
  if (options.sso) {
    auto provider = LoadProvider(portal);
    if (provider.ok() && provider.value()) {
      options.sso_label = std::string(provider.value()->settings.ButtonLabel());
    } else {
      options.sso = false;  // the mode says SSO but nothing is configured: nothing to offer
    }
  }
  return options;
}

Result<std::string> SsoService::ProviderJson(store::Portal portal, int64_t viewer) {
  auto provider = LoadProvider(portal);
  if (!provider.ok()) return provider.status();
  JsonWriter w;
  w.BeginObject().Key("configured").Bool(provider.value().has_value());
  w.Key("redirect_url").String(RedirectUrl(portal));
  if (provider.value()) {
    const Provider& p = *provider.value();
    w.Key("provider").Raw(SsoSettingsToJson(p.settings));
    w.Key("client_secret_set").Bool(!p.row.client_secret.empty());
    w.Key("updated_at").Int(p.row.updated_at);
    w.Key("tested");
    if (p.row.tested_by) {
      auto tester = store_.PersonById(*p.row.tested_by);
      w.BeginObject().Key("by").String(tester.ok() && tester.value() ? tester.value()->email : "");
      w.Key("by_id").Int(*p.row.tested_by).Key("at").Int(p.row.tested_at);
      w.Key("valid_until").Int(p.row.tested_at + kSsoTestValidSeconds).EndObject();
    } else {
      w.Null();
    }
  }
  std::lock_guard lock(failures_mutex_);
  auto failure = test_failures_.find({portal, viewer});
  if (failure != test_failures_.end() && clock_.Now() - failure->second.at <= kAttemptSeconds) {
    w.Key("last_test_failure").BeginObject().Key("at").Int(failure->second.at);
    w.Key("message").String(failure->second.message).EndObject();
  }
  return w.EndObject().Take();
}

Status SsoService::MayChangeProvider(store::Portal portal, const SsoSettings* before,
                                     const SsoSettings* after, const store::ActiveSession& admin) {
  const bool administrator = PermissionsOf(admin.person).administrator;
  // Whoever controls the agent portal's provider can sign in as any agent
  // it asserts; trusted emails make any provider that powerful.
  if (portal == store::Portal::kAgent && !administrator) {
    return Status::Of(StatusCode::kPermissionDenied,
                      "only an Administrator can change the agent portal's identity provider");
  }
  const bool trusted = (before && before->link_by_email) || (after && after->link_by_email);
  if (trusted && !administrator) {
    return Status::Of(StatusCode::kPermissionDenied,
                      "only an Administrator can change a provider whose emails link accounts");
  }
  return RequireRecentAuthentication(admin.session, clock_.Now());
}

std::vector<store::OutgoingMail> SsoService::ProviderChangeNotices(store::Portal portal,
                                                                   const std::string& what,
                                                                   const store::Person& admin,
                                                                   const std::string& ip) {
  std::vector<store::OutgoingMail> notices;
  if (portal != store::Portal::kAgent) return notices;
  auto admins = store_.ListAdministrators();
  if (!admins.ok()) return notices;
  const std::string body =
      "The agent portal's single sign-on provider was " + what + " by " + admin.email + " (from " +
      ip +
      ").\r\n\r\nWhoever controls that provider can sign agents in. If "
      "you did not expect this change, check Settings > Agent Authentication > Portal Access "
      "now, and the audit log.\r\n";
  const int64_t expires = clock_.Now() + 7 * 24 * 3600;
  for (const store::Person& a : admins.value()) {
    notices.push_back({a.email, "deskgate: the agent portal's sign-in provider was " + what,
                       box_.Seal(body), expires});
  }
  return notices;
}

Status SsoService::PutProvider(store::Portal portal, const JsonValue& body,
                               const store::ActiveSession& admin, const std::string& ip) {
  auto parsed = SsoSettingsFromJson(body, portal == store::Portal::kContact);
  if (!parsed.ok()) return parsed.status();
  SsoSettings settings = std::move(parsed).value();
  auto current = LoadProvider(portal);
  if (!current.ok()) return current.status();
  if (Status s = MayChangeProvider(portal, current.value() ? &current.value()->settings : nullptr,
                                   &settings, admin);
      !s.ok()) {
    return s;
  }
  store::SsoProviderRow row;
  row.settings_json = SsoSettingsToJson(settings);
  row.updated_at = clock_.Now();
  const bool same_provider = current.value() && settings.SameProviderAs(current.value()->settings);
  // The stored secret stays only with the provider and application it was
  // issued for: sent anywhere else, it would be handed to whoever runs that
  // endpoint. Another provider needs the secret typed again.
  if (!settings.client_secret.empty()) {
    row.client_secret = box_.Seal(settings.client_secret);
  } else if (same_provider) {
    row.client_secret = current.value()->row.client_secret;
  } else if (current.value() && !current.value()->row.client_secret.empty()) {
    return Status::Error(
        "client_secret: enter the client secret again; the provider or application changed");
  }
  // A change clears the test record (a test vouches for the settings and
  // secret it ran with); saving the same settings again keeps it.
  const bool unchanged = current.value() &&
                         current.value()->row.settings_json == row.settings_json &&
                         settings.client_secret.empty();
  if (unchanged) {
    row.tested_by = current.value()->row.tested_by;
    row.tested_at = current.value()->row.tested_at;
  }
  const std::string before = current.value() ? current.value()->row.settings_json : "null";
  const std::string details = R"({"before":)" + before + R"(,"after":)" + row.settings_json +
                              R"(,"secret_changed":)" +
                              (settings.client_secret.empty() ? "false" : "true") + "}";
  std::fill(settings.client_secret.begin(), settings.client_secret.end(), '\0');
  // Links belong to the provider and application they were made with.
  const bool unlink = current.value() && !same_provider;
  // Checked in the write's transaction: while passwords are off, the
  // provider people sign in with cannot be swapped for an untested one.
  const store::SignInGuard guard = [&](const store::PortalSignInState& state) -> Status {
    auto access = StoredAuthSettings(portal, state.settings_json);
    if (!access.ok()) return access.status();
    if (AllowsPasswordLogin(access.value()) || !state.provider) return Status::Ok();
    auto stored =
        ParseSsoSettings(state.provider->settings_json, portal == store::Portal::kContact);
    if (stored.ok() && settings.SameProviderAs(stored.value())) return Status::Ok();
    return Status::Error(
        "provider: this portal signs in through single sign-on only; allow password sign-in "
        "before pointing it at another provider or application");
  };
  const std::vector<store::OutgoingMail> notices =
      unchanged
          ? std::vector<store::OutgoingMail>()
          : ProviderChangeNotices(portal, current.value() ? "changed" : "set up", admin.person, ip);
  return store_.PutSsoProvider(portal, row, unlink,
                               {row.updated_at, admin.person.id, store::PortalName(portal),
                                "settings.sso.changed", "", ip, details},
                               guard, notices);
}

Status SsoService::DeleteProvider(store::Portal portal, const store::ActiveSession& admin,
                                  const std::string& ip) {
  auto current = LoadProvider(portal);
  if (!current.ok()) return current.status();
  if (Status s = MayChangeProvider(portal, current.value() ? &current.value()->settings : nullptr,
                                   nullptr, admin);
      !s.ok()) {
    return s;
  }
  const store::SignInGuard guard = [&](const store::PortalSignInState& state) -> Status {
    auto settings = StoredAuthSettings(portal, state.settings_json);
    if (!settings.ok()) return settings.status();
    if (!UsesSingleSignOn(settings.value())) return Status::Ok();
    return Status::Of(
        StatusCode::kConflict,
        "provider: the portal's access mode uses single sign-on; switch it to password sign-in "
        "first");
  };
  return store_.DeleteSsoProvider(portal,
                                  {clock_.Now(), admin.person.id, store::PortalName(portal),
                                   "settings.sso.removed", "", ip, "{}"},
                                  guard,
                                  ProviderChangeNotices(portal, "removed", admin.person, ip));
}

Result<SsoStart> SsoService::Start(store::Portal portal, const std::string& purpose,
                                   const store::Person* admin, std::optional<int64_t> invitation_id,
                                   const std::string& binding, const std::string& ip,
                                   int64_t& retry_after) {
  const ThrottleScope scopes[] = {{"sso_start", "sso-start:" + ip, kStartsPerAddress, false}};
  if (const Throttle::Attempt attempt = throttle_.Begin(scopes, clock_.Now()); attempt.wait > 0) {
    retry_after = attempt.wait;
    return Status::Error("too many sign-ins from this address; try again in " +
                         std::to_string((attempt.wait + 59) / 60) + " minutes");
  }
  auto provider = LoadProvider(portal);
  if (!provider.ok()) return provider.status();
  if (!provider.value()) return Status::Error("no identity provider is configured for this portal");
  if (purpose != "test") {
    auto settings = settings_.Get(portal);
    if (!settings.ok()) return settings.status();
    if (!UsesSingleSignOn(settings.value())) {
      return Status::Error("this portal does not offer single sign-on");
    }
  }
  auto metadata = oidc_.Metadata(provider.value()->settings);
  if (!metadata.ok()) {
    // The details (host names, TLS errors) are for the admin's test only.
    if (purpose == "test") return metadata.status();
    return Status::Error("the identity provider cannot be reached; try again shortly");
  }

  const std::string state = crypto::RandomToken();
  const std::string nonce = crypto::RandomToken();
  const std::string verifier = crypto::RandomToken();  // 43 characters, as RFC 7636 allows
  const int64_t now = clock_.Now();
  store::SsoAttempt attempt;
  attempt.state_hash = crypto::Sha256Hex(state);
  attempt.portal = portal;
  attempt.purpose = purpose;
  attempt.secrets = box_.Seal(JoinSecrets(verifier, nonce));
  attempt.binding_hash = crypto::Sha256Hex(binding);
  attempt.provider_version = provider.value()->row.version;
  if (admin != nullptr) attempt.person_id = admin->id;
  if (purpose == "invitation") attempt.invitation_id = invitation_id;
  attempt.created_at = now;
  attempt.expires_at = now + kAttemptSeconds;
  if (Status s = store_.AddSsoAttempt(attempt); !s.ok()) return s;

  UrlParams params = {{"response_type", "code"},
                      {"client_id", provider.value()->settings.client_id},
                      {"redirect_uri", RedirectUrl(portal)},
                      {"scope", "openid email profile"},
                      {"state", state},
                      {"nonce", nonce},
                      {"code_challenge", crypto::Sha256Base64Url(verifier)},
                      {"code_challenge_method", "S256"}};
  // An admin testing must really sign in, not ride an existing provider session.
  if (purpose == "test") params.emplace_back("prompt", "login");
  if (admin != nullptr && purpose == "test") params.emplace_back("login_hint", admin->email);
  return SsoStart{AppendQuery(metadata.value().authorization_endpoint, params)};
}

void SsoService::RecordTestFailure(store::Portal portal, std::optional<int64_t> person,
                                   const std::string& message) {
  if (!person) return;
  std::lock_guard lock(failures_mutex_);
  test_failures_[{portal, *person}] = {clock_.Now(), message};
}

std::vector<ThrottleScope> SsoService::CallbackScopes(const std::string& ip) {
  return {{"sso_callback", "sso-callback:" + ip, kRefusalsPerAddress, false}};
}

SsoOutcome SsoService::Refuse(const SsoCallback& cb, const std::string& purpose,
                              const std::string& reason, const std::string& message,
                              std::optional<int64_t> tester) {
  if (purpose == "test") RecordTestFailure(cb.portal, tester, message);
  const auto scopes = CallbackScopes(cb.ip);
  const Throttle::Attempt attempt = throttle_.Begin(scopes, clock_.Now());
  for (const ThrottleBlock& block : throttle_.Failed(scopes, attempt)) {
    store_.Audit({clock_.Now(), std::nullopt, store::PortalName(cb.portal), "sso.throttled", "",
                  cb.ip, block.ToJson()});
  }
  store_.Audit({clock_.Now(), std::nullopt, store::PortalName(cb.portal), "sso.refused", "", cb.ip,
                JsonDetails({{"purpose", purpose}, {"reason", reason}, {"message", message}})});
  SsoOutcome outcome;
  outcome.purpose = purpose;
  outcome.reason = reason;
  outcome.message = message;
  return outcome;
}

Result<SsoService::AccountMatch> SsoService::MatchAccount(store::Portal portal,
                                                          const SsoSettings& settings,
                                                          const ProviderIdentity& identity) {
  auto linked = store_.FindSsoIdentity(portal, identity.issuer, identity.subject);
  if (!linked.ok()) return linked.status();
  if (linked.value()) return AccountMatch{*linked.value(), false, false, "subject"};
  if (!identity.email_verified) {
    return Status::Error("account: the provider did not confirm an email address to match");
  }
  auto person = store_.FindPerson(portal, identity.email);
  if (!person.ok()) return person.status();
  if (person.value()) {
    // Once linked, an account answers to its subject only: someone whose
    // email at the provider now reads like this account's cannot take it.
    auto has = store_.HasSsoIdentity(person.value()->id);
    if (!has.ok()) return has.status();
    if (has.value()) {
      return Status::Error("account: this account is linked to another identity at the provider");
    }
    // The provider's word on an email proves nothing about who holds the
    // account here: its holder confirms, unless an Administrator trusts
    // this provider's emails (never for an Administrator's account).
    if (settings.link_by_email && !PermissionsOf(*person.value()).administrator) {
      return AccountMatch{person.value()->id, true, false, "email"};
    }
    return AccountMatch{person.value()->id, false, true, "pending"};
  }
  if (portal == store::Portal::kContact && settings.create_contacts) {
    // The same rules as contacts added by hand.
    if (!IsPlausibleEmail(identity.email)) {
      return Status::Error("account: the provider's email address is not usable here");
    }
    return AccountMatch{0, true, false, "created"};
  }
  return Status::Error("account: no " + std::string(store::PortalName(portal)) + " account uses " +
                       identity.email);
}

SsoOutcome SsoService::LeavePendingLink(const SsoCallback& cb, const store::SsoAttempt& attempt,
                                        const ProviderIdentity& identity, int64_t person_id) {
  const int64_t now = clock_.Now();
  const std::string token = crypto::RandomToken();
  store::SsoPendingLink link;
  link.portal = cb.portal;
  link.binding_hash = crypto::Sha256Hex(cb.binding);
  link.token_hash = crypto::Sha256Hex(token);
  link.person_id = person_id;
  link.issuer = identity.issuer;
  link.subject = identity.subject;
  link.email = identity.email;
  link.provider_version = attempt.provider_version;
  link.created_at = now;
  link.expires_at = now + kAttemptSeconds;
  const std::string portal = store::PortalName(cb.portal);
  const ThrottleScope mail_scope[] = {
      {"sso_link_mail", "sso-link-mail:" + std::to_string(person_id), kLinkMailsPerAccount}};
  std::optional<store::OutgoingMail> mail;
  // Without a mail server nothing would arrive: the page must not say it sent one.
  if (mail_configured_() && throttle_.Begin(mail_scope, now).wait == 0) {
    const std::string url = public_origin_ + "/login/" + portal + ".html#sso_link=" + token;
    const std::string body =
        "Someone signed in with single sign-on as " + identity.email +
        " and asked to link that sign-in to your deskgate account.\r\n\r\nIf it was you, open "
        "this link in the same browser within 10 minutes:\r\n\r\n  " +
        url +
        "\r\n\r\nIf it was not you, ignore this message and tell your administrator: "
        "nothing is linked without this link.\r\n";
    mail = store::OutgoingMail{identity.email, "Confirm your single sign-on to deskgate",
                               box_.Seal(body), link.expires_at};
  }
  const Status s = store_.AddSsoPendingLink(
      link, mail,
      {now, person_id, portal, "sso.link_pending", identity.email, cb.ip,
       JsonDetails({{"issuer", identity.issuer}, {"mailed", mail ? "yes" : "no"}})});
  if (!s.ok()) {
    return Refuse(cb, "login", "error", "the sign-in could not be saved", attempt.person_id);
  }
  SsoOutcome outcome;
  outcome.kind = SsoOutcome::Kind::kLinkPending;
  return outcome;
}

SsoOutcome SsoService::Finish(const SsoCallback& cb) {
  const int64_t now = clock_.Now();
  // Refused answers are counted per address and, past the limit, turned
  // away without touching the attempts or writing audit rows.
  if (throttle_.BlockedFor(CallbackScopes(cb.ip), now) > 0) {
    SsoOutcome blocked;
    blocked.reason = "throttled";
    blocked.message = "too many failed sign-ins from this address";
    return blocked;
  }
  // States are 43 base64url characters (RandomToken); nothing else is looked up.
  if (cb.state.size() != 43 ||
      cb.state.find_first_not_of(kBase64UrlAlphabet) != std::string::npos) {
    return Refuse(cb, "login", "state", "the answer carries no valid state");
  }
  auto taken = store_.TakeSsoAttempt(crypto::Sha256Hex(cb.state), now);
  if (!taken.ok()) return Refuse(cb, "login", "error", "the sign-in could not be read");
  if (!taken.value() || taken.value()->portal != cb.portal) {
    return Refuse(cb, "login", "state", "the sign-in is unknown, used already or expired");
  }
  const store::SsoAttempt attempt = std::move(*taken.value());
  const std::string& purpose = attempt.purpose;
  const auto refuse = [&](const std::string& reason, const std::string& message) {
    return Refuse(cb, purpose, reason, message, attempt.person_id);
  };
  if (!crypto::ConstantTimeEquals(attempt.binding_hash, crypto::Sha256Hex(cb.binding))) {
    return refuse("browser", "the sign-in was started in another browser");
  }
  if (!cb.error.empty()) {
    return refuse("provider", "the provider answered " + SafeErrorCode(cb.error));
  }
  auto provider = LoadProvider(cb.portal);
  if (!provider.ok() || !provider.value()) {
    return refuse("config", "no identity provider is configured");
  }
  const Provider& p = *provider.value();
  // The code belongs to the provider the sign-in began with.
  if (p.row.version != attempt.provider_version) {
    return refuse("config", "the provider settings changed during the sign-in; start again");
  }
  auto metadata = oidc_.Metadata(p.settings);
  if (!metadata.ok()) return refuse("provider", metadata.error());
  auto secrets = box_.Open(attempt.secrets);
  if (!secrets.ok()) return refuse("error", "the sign-in could not be read");
  const std::string_view joined = secrets.value().view();
  const size_t dot = joined.find('.');
  const std::string verifier(joined.substr(0, dot));
  const std::string nonce(joined.substr(dot + 1));

  auto secret = OpenSecret(p);
  if (!secret.ok()) return refuse("config", secret.error());
  auto id_token = oidc_.ExchangeCode(
      metadata.value(), {cb.code, verifier, RedirectUrl(cb.portal), p.settings.client_id,
                         std::string(secret.value().view())});
  if (!id_token.ok()) return refuse("token", id_token.error());
  auto jwt = ParseJwt(id_token.value());
  if (!jwt.ok()) return refuse("token", "the ID token is malformed: " + jwt.error());
  if (Status s = oidc_.VerifySignature(metadata.value(), jwt.value()); !s.ok()) {
    return refuse(ReasonOf(s), s.message());
  }
  IdTokenRules rules;
  rules.issuer = metadata.value().issuer;
  rules.client_id = p.settings.client_id;
  rules.nonce = nonce;
  rules.now = now;
  rules.allowed_tenants = p.settings.allowed_tenants;
  rules.allowed_domains = p.settings.allowed_domains;
  rules.entra = p.settings.kind == "entra";
  auto identity = CheckIdToken(jwt.value().claims, rules);
  if (!identity.ok()) return refuse(ReasonOf(identity.status()), identity.error());

  if (purpose == "invitation") {
    auto settings = settings_.Get(cb.portal);
    if (!settings.ok()) return refuse("config", settings.error());
    if (!UsesSingleSignOn(settings.value())) {
      return refuse("config", "this portal does not offer single sign-on");
    }
    return AcceptInvitation(cb, attempt, identity.value());
  }
  auto match = MatchAccount(cb.portal, p.settings, identity.value());
  const std::string portal = store::PortalName(cb.portal);
  if (purpose == "test") {
    // On the agent portal the admin must come back as themself: switching
    // to SSO-only would otherwise lock them out.
    const bool themself = match.ok() && match.value().person_id == attempt.person_id.value_or(-1);
    if (cb.portal == store::Portal::kAgent && !themself) {
      return refuse("test", "the provider signed you in as " + identity.value().email +
                                ", which is not your account here");
    }
    // Signed in here and back from the provider as themself: the admin
    // proved both sides, so their account links now.
    if (themself && match.value().confirm) {
      store::SsoPendingLink own{cb.portal,
                                "",
                                "",
                                match.value().person_id,
                                identity.value().issuer,
                                identity.value().subject,
                                identity.value().email,
                                attempt.provider_version,
                                now,
                                now};
      if (Status s = store_.LinkSsoIdentity(
              own, {now, attempt.person_id, portal, "sso.linked", identity.value().email, cb.ip,
                    JsonDetails({{"issuer", identity.value().issuer}, {"matched_by", "test"}})});
          !s.ok()) {
        return refuse("account", s.message());
      }
    }
    auto marked = store_.MarkSsoTested(
        cb.portal, attempt.person_id.value_or(0), attempt.provider_version,
        {now, attempt.person_id, portal, "sso.test_succeeded", identity.value().email, cb.ip,
         JsonDetails({{"issuer", identity.value().issuer}})});
    if (!marked.ok() || !marked.value()) {
      return refuse("test", "the provider settings changed during the test");
    }
    SsoOutcome outcome;
    outcome.kind = SsoOutcome::Kind::kTested;
    outcome.purpose = purpose;
    return outcome;
  }
  auto settings = settings_.Get(cb.portal);
  if (!settings.ok()) return refuse("config", settings.error());
  if (!UsesSingleSignOn(settings.value())) {
    return refuse("config", "this portal does not offer single sign-on");
  }
  if (!match.ok()) return refuse(ReasonOf(match.status()), match.error());
  if (match.value().person_id != 0) {
    auto person = store_.PersonById(match.value().person_id);
    if (!person.ok()) return refuse("error", "the account could not be read");
    if (person.value() && !person.value()->active()) {
      return refuse("deactivated", kDeactivatedAccount);
    }
  }
  if (match.value().confirm) {
    return LeavePendingLink(cb, attempt, identity.value(), match.value().person_id);
  }

  SsoOutcome outcome;
  outcome.kind = SsoOutcome::Kind::kSignedIn;
  outcome.session_token = crypto::RandomToken();
  store::SsoSignIn sign_in{cb.portal, identity.value().issuer, identity.value().subject,
                           identity.value().email, match.value().person_id,
                           // A contact's name follows the same limit as by hand.
                           identity.value().name.size() <= 200 ? identity.value().name : "",
                           match.value().link, crypto::Sha256Hex(outcome.session_token), cb.ip,
                           cb.user_agent, std::nullopt};
  auto signed_in = store_.CompleteSsoSignIn(
      sign_in, {now, std::nullopt, portal, "login.success", identity.value().email, cb.ip,
                JsonDetails({{"method", "sso"}, {"matched_by", match.value().how}})});
  if (!signed_in.ok()) return refuse("account", signed_in.error());
  return outcome;
}

SsoOutcome SsoService::AcceptInvitation(const SsoCallback& cb, const store::SsoAttempt& attempt,
                                        const ProviderIdentity& identity) {
  const int64_t now = clock_.Now();
  const auto refuse = [&](const std::string& reason, const std::string& message) {
    return Refuse(cb, attempt.purpose, reason, message);
  };
  auto invitation = store_.FindInvitationById(attempt.invitation_id.value_or(0));
  if (!invitation.ok()) return refuse("error", "the invitation could not be read");
  const auto& found = invitation.value();
  if (!found || !found->usable || found->expires_at <= now || found->portal != cb.portal) {
    return refuse("invitation", "the invitation was used, withdrawn or has expired meanwhile");
  }
  auto linked = store_.FindSsoIdentity(cb.portal, identity.issuer, identity.subject);
  if (!linked.ok()) return refuse("error", "the sign-in could not be read");
  if (linked.value()) {
    return refuse("account",
                  "this account at the provider is linked to another deskgate account already");
  }
  SsoOutcome outcome;
  outcome.kind = SsoOutcome::Kind::kSignedIn;
  outcome.purpose = attempt.purpose;
  outcome.session_token = crypto::RandomToken();
  store::SsoSignIn sign_in{cb.portal,
                           identity.issuer,
                           identity.subject,
                           identity.email,
                           found->person_id,
                           "",
                           /*link=*/true,
                           crypto::Sha256Hex(outcome.session_token),
                           cb.ip,
                           cb.user_agent,
                           found->id};
  auto signed_in = store_.CompleteSsoSignIn(
      sign_in,
      {now, found->person_id, store::PortalName(cb.portal), "login.success", found->email, cb.ip,
       JsonDetails(
           {{"method", "sso"}, {"matched_by", "invitation"}, {"provider_email", identity.email}})});
  if (!signed_in.ok()) return refuse("account", signed_in.error());
  return outcome;
}

std::string SsoService::EndSessionUrl(store::Portal portal) {
  auto provider = LoadProvider(portal);
  if (!provider.ok() || !provider.value()) return "";
  auto metadata = oidc_.Metadata(provider.value()->settings);
  if (!metadata.ok() || metadata.value().end_session_endpoint.empty()) return "";
  return AppendQuery(metadata.value().end_session_endpoint,
                     {{"client_id", provider.value()->settings.client_id},
                      {"post_logout_redirect_uri",
                       public_origin_ + "/login/" + store::PortalName(portal) + ".html"}});
}

Result<std::optional<PendingLinkView>> SsoService::PendingLinkFor(store::Portal portal,
                                                                  const std::string& binding) {
  if (binding.empty()) return std::optional<PendingLinkView>();
  auto link = store_.FindSsoPendingLink(portal, crypto::Sha256Hex(binding), clock_.Now());
  if (!link.ok()) return link.status();
  if (!link.value()) return std::optional<PendingLinkView>();
  auto person = store_.PersonById(link.value()->person_id);
  if (!person.ok()) return person.status();
  if (!person.value()) return std::optional<PendingLinkView>();
  PendingLinkView view;
  view.masked_email = MaskEmail(person.value()->email);
  auto settings = settings_.Get(portal);
  if (!settings.ok()) return settings.status();
  view.password = !person.value()->password_hash.empty() && AllowsPasswordLogin(settings.value());
  view.mailed = link.value()->mailed;
  return std::optional<PendingLinkView>(view);
}

Status SsoService::ConfirmLinkBySignIn(store::Portal portal, const std::string& binding,
                                       const store::ActiveSession& session, const std::string& ip) {
  const int64_t now = clock_.Now();
  const std::string binding_hash = crypto::Sha256Hex(binding);
  auto found = store_.FindSsoPendingLink(portal, binding_hash, now);
  if (!found.ok()) return found.status();
  const auto& link = found.value();
  // The holder signed in with their password (and second factor, when
  // their sign-in asks one) in this browser after the provider sign-in.
  if (!link || binding.empty() || link->person_id != session.person.id || session.session.via_sso ||
      session.session.portal != portal || session.session.id <= link->last_session_id) {
    return Status::Of(StatusCode::kNotFound, "there is no single sign-on link to confirm");
  }
  auto provider = LoadProvider(portal);
  if (!provider.ok()) return provider.status();
  if (!provider.value() || provider.value()->row.version != link->provider_version) {
    return Status::Of(StatusCode::kConflict,
                      "the identity provider changed; sign in with single sign-on again");
  }
  auto taken = store_.TakeSsoPendingLink(portal, binding_hash, now);
  if (!taken.ok()) return taken.status();
  if (!taken.value()) return Status::Of(StatusCode::kNotFound, "the link was confirmed already");
  return store_.LinkSsoIdentity(
      *taken.value(),
      {now, session.person.id, store::PortalName(portal), "sso.linked", taken.value()->email, ip,
       JsonDetails({{"issuer", taken.value()->issuer}, {"matched_by", "password"}})});
}

Result<std::string> SsoService::ConfirmLinkByMail(store::Portal portal, const std::string& binding,
                                                  const std::string& token, const std::string& ip,
                                                  const std::string& user_agent) {
  const int64_t now = clock_.Now();
  const std::string binding_hash = crypto::Sha256Hex(binding);
  auto found = store_.FindSsoPendingLink(portal, binding_hash, now);
  if (!found.ok()) return found.status();
  const auto& link = found.value();
  // The mailed token proves the mailbox; the binding cookie, that this is
  // the browser that signed in at the provider. Both are needed: a link
  // mailed after a stranger's sign-in does nothing in the holder's browser.
  if (!link || binding.empty() ||
      !crypto::ConstantTimeEquals(link->token_hash, crypto::Sha256Hex(token))) {
    return Status::Of(StatusCode::kNotFound,
                      "this link does not work here: open it in the browser where you signed in "
                      "with single sign-on, within 10 minutes");
  }
  auto provider = LoadProvider(portal);
  if (!provider.ok()) return provider.status();
  if (!provider.value() || provider.value()->row.version != link->provider_version) {
    return Status::Of(StatusCode::kConflict,
                      "the identity provider changed; sign in with single sign-on again");
  }
  auto settings = settings_.Get(portal);
  if (!settings.ok()) return settings.status();
  if (!UsesSingleSignOn(settings.value())) {
    return Status::Of(StatusCode::kConflict, "this portal does not offer single sign-on");
  }
  auto taken = store_.TakeSsoPendingLink(portal, binding_hash, now);
  if (!taken.ok()) return taken.status();
  if (!taken.value()) return Status::Of(StatusCode::kNotFound, "the link was used already");
  const std::string session_token = crypto::RandomToken();
  store::SsoSignIn sign_in{portal,
                           taken.value()->issuer,
                           taken.value()->subject,
                           taken.value()->email,
                           taken.value()->person_id,
                           "",
                           true,
                           crypto::Sha256Hex(session_token),
                           ip,
                           user_agent,
                           std::nullopt};
  auto signed_in = store_.CompleteSsoSignIn(
      sign_in, {now, std::nullopt, store::PortalName(portal), "login.success", taken.value()->email,
                ip, JsonDetails({{"method", "sso"}, {"matched_by", "mail"}})});
  if (!signed_in.ok()) return signed_in.status();
  return session_token;
}

}  // namespace deskgate::services
