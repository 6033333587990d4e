#include "server/http/sso_routes.h"
#include "server/observe/metrics.h"

#include "server/crypto/tokens.h"
#include "server/http/api_routes.h"
#include "server/http/error_response.h"
#include "server/http/http_server.h"
#include "server/http/json_request.h"
#include "server/http/settings_routes.h"
#include "server/http/site.h"
#include "shared/core/json_writer.h"
#include "shared/core/url_encoding.h"

namespace deskgate::http {
namespace {

constexpr const char* kSettingsPath = R"(/api/settings/sso/(agent|contact))";

store::Portal PortalOf(const httplib::Request& req) {
  return *store::ParsePortal(req.matches[1].str());
}

// The browser's binding value: kept when it already has a well-formed one
// (so two tabs signing in at once both work), otherwise a new one.
// Over TLS the cookie is __Host- prefixed (see CookieName).
std::string BindingCookieName(const Site& site) {
  return site.CookieName(kSsoBindingCookie);
}

std::string BindingFor(const Site& site, const httplib::Request& req, httplib::Response& res) {
  std::string binding = CookieValue(req, BindingCookieName(site));
  if (binding.size() != 43) binding = crypto::RandomToken();
  res.set_header("Set-Cookie", BindingCookieName(site) + "=" + binding +
                                   "; Path=/; HttpOnly; SameSite=Lax; Max-Age=900" +
                                   site.SecureCookieFlag());
  return binding;
}

// Sends the browser on with a page of our own rather than a 302: the
// session cookie is SameSite=Strict, and a redirect answering the
// provider's cross-site navigation would arrive without it. A navigation
// that starts from this page is same-site.
void SendOnwards(httplib::Response& res, const std::string& url) {
  // `url` is percent-encoded, so only '&' needs escaping in the attribute.
  std::string target;
  for (char c : url) target += c == '&' ? std::string("&amp;") : std::string(1, c);
  std::string page =
      "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta http-equiv=\"refresh\" content=\"0; url=" +
      target +
      "\">"
      "<title>Signing in · deskgate</title></head><body>"
      "<p><a href=\"" +
      target + "\">Continue</a></p></body></html>";
  res.set_header("Cache-Control", "no-store");
  // The next navigation must not carry this URL (code, state) as Referer.
  res.set_header("Referrer-Policy", "no-referrer");
  res.set_content(std::move(page), "text/html; charset=utf-8");
}

std::string OutcomeTarget(store::Portal portal, const services::SsoOutcome& outcome) {
  const std::string name = store::PortalName(portal);
  if (outcome.purpose == "test") {
    UrlParams params = {{"portal", name}};
    if (outcome.kind == services::SsoOutcome::Kind::kTested) {
      params.emplace_back("sso_test", "ok");
    } else {
      params.emplace_back("sso_test", "failed");
      params.emplace_back("sso_reason", outcome.reason);
    }
    return AppendQuery("/settings/authentication.html", params);
  }
  if (outcome.kind == services::SsoOutcome::Kind::kSignedIn) return "/home.html";
  if (outcome.purpose == "invitation") {
    // The link's token is gone from the page by now: it explains and asks
    // for the invitation link again.
    return AppendQuery("/invite.html", {{"portal", name}, {"sso_error", outcome.reason}});
  }
  if (outcome.kind == services::SsoOutcome::Kind::kLinkPending) {
    return AppendQuery("/login/" + name + ".html", {{"sso_link", "pending"}});
  }
  return AppendQuery("/login/" + name + ".html", {{"sso_error", outcome.reason}});
}

// The outcome label of a single sign-on callback, for /metrics.
const char* SsoOutcomeLabel(services::SsoOutcome::Kind kind) {
  switch (kind) {
    case services::SsoOutcome::Kind::kSignedIn:
      return "success";
    case services::SsoOutcome::Kind::kTested:
      return "test";
    case services::SsoOutcome::Kind::kLinkPending:
      return "link_pending";
    case services::SsoOutcome::Kind::kRefused:
      break;
  }
  return "failure";
}

void HandleCallback(const Site& site, services::SsoService& sso, const httplib::Request& req,
                    httplib::Response& res) {
  services::SsoCallback callback;
  callback.portal = PortalOf(req);
  callback.state = req.get_param_value("state");
  callback.code = req.get_param_value("code");
  callback.error = req.get_param_value("error");
  callback.binding = CookieValue(req, BindingCookieName(site));
  callback.ip = site.ClientAddress(req);
  callback.user_agent = req.get_header_value("User-Agent");
  const services::SsoOutcome outcome = sso.Finish(callback);
  observe::Count(observe::Counter::kSignIns,
                 {store::PortalName(callback.portal), "sso", SsoOutcomeLabel(outcome.kind)});
  if (outcome.kind == services::SsoOutcome::Kind::kSignedIn) {
    SetSessionCookie(site, res, outcome.session_token, false);
  }
  SendOnwards(res, OutcomeTarget(callback.portal, outcome));
}

void HandleStart(const Site& site, services::AuthService& auth, services::SsoService& sso,
                 services::InvitationService& invitations, const httplib::Request& req,
                 httplib::Response& res) {
  if (!AcceptJson(req, res)) return;
  auto body = JsonBody(req, res);
  if (!body) return;
  std::string purpose = "login";
  if (const JsonValue* given = body->Find("purpose")) {
    purpose = given->is_string() ? given->as_string() : "";
    if (purpose != "login" && purpose != "test" && purpose != "invitation") {
      return SendError(res, 400, "purpose: must be login, test or invitation");
    }
  }
  std::optional<services::SessionInfo> admin;
  if (purpose == "test") {
    admin = RequireAuthenticationAdmin(site, auth, req, res);
    if (!admin) return;
  }
  std::optional<int64_t> invitation_id;
  if (purpose == "invitation") {
    auto token = StringField(*body, "invitation", 200, res);
    if (!token) return;
    auto usable = invitations.UsableForSignIn(*token, PortalOf(req), site.ClientAddress(req));
    if (!usable.ok()) return SendStatus(res, usable.status());
    invitation_id = usable.value();
  }
  const std::string binding = BindingFor(site, req, res);
  int64_t retry_after = 0;
  auto started = sso.Start(PortalOf(req), purpose, admin ? &admin->person : nullptr, invitation_id,
                           binding, site.ClientAddress(req), retry_after);
  if (retry_after > 0) {
    res.set_header("Retry-After", std::to_string(retry_after));
    return SendError(res, 429, started.error());
  }
  if (!started.ok()) return SendError(res, 409, started.error());
  JsonWriter w;
  w.BeginObject().Key("url").String(started.value().authorize_url).EndObject();
  SendJson(res, w.Take());
}

// GET /api/{portal}/sso/link: the link waiting in this browser, if any.
void HandlePendingLink(const Site& site, services::SsoService& sso, const httplib::Request& req,
                       httplib::Response& res) {
  auto view = sso.PendingLinkFor(PortalOf(req), CookieValue(req, BindingCookieName(site)));
  if (!view.ok()) return SendStatus(res, view.status());
  JsonWriter w;
  w.BeginObject().Key("pending").Bool(view.value().has_value());
  if (view.value()) {
    w.Key("email").String(view.value()->masked_email);
    w.Key("password").Bool(view.value()->password).Key("mailed").Bool(view.value()->mailed);
  }
  SendJson(res, w.EndObject().Take());
}

// POST /api/{portal}/sso/link/confirm: {"token"} from the mailed link signs
// the holder in; {} after a password sign-in in this browser links it.
void HandleConfirmLink(const Site& site, services::AuthService& auth, services::SsoService& sso,
                       const httplib::Request& req, httplib::Response& res) {
  if (!AcceptJson(req, res)) return;
  auto body = JsonBody(req, res);
  if (!body || !OnlyKnownFields(*body, {"token"}, res)) return;
  const std::string binding = CookieValue(req, BindingCookieName(site));
  if (body->Find("token") != nullptr) {
    auto token = StringField(*body, "token", 64, res);
    if (!token) return;
    auto signed_in = sso.ConfirmLinkByMail(PortalOf(req), binding, *token, site.ClientAddress(req),
                                           req.get_header_value("User-Agent"));
    if (!signed_in.ok()) return SendStatus(res, signed_in.status());
    SetSessionCookie(site, res, signed_in.value(), false);
    return SendJson(res, R"({"status":"signed_in"})");
  }
  // A password that must be changed still proved the person.
  auto me = RequireSession(site, auth, req, res, /*allow_password_change_pending=*/true);
  if (!me) return;
  const Status s = sso.ConfirmLinkBySignIn(PortalOf(req), binding, *me, site.ClientAddress(req));
  if (!s.ok()) return SendStatus(res, s);
  SendJson(res, R"({"status":"linked"})");
}

}  // namespace

void InstallSsoRoutes(httplib::Server& server, const Site& site, services::AuthService& auth,
                      services::SsoService& sso, services::InvitationService& invitations) {
  server.Get(R"(/api/(agent|contact)/login-options)",
             [&site, &sso](const httplib::Request& req, httplib::Response& res) {
               auto read = sso.LoginOptionsFor(PortalOf(req));
               if (!read.ok()) return SendStatus(res, read.status());
               const services::LoginOptions& options = read.value();
               JsonWriter w;
               w.BeginObject().Key("password").Bool(options.password).Key("sso").Bool(options.sso);
               w.Key("sso_label").String(options.sso_label).EndObject();
               SendJson(res, w.Take());
             });

  server.Post(R"(/api/(agent|contact)/sso/start)",
              [&](const httplib::Request& req, httplib::Response& res) {
                HandleStart(site, auth, sso, invitations, req, res);
              });

  server.Get(R"(/api/(agent|contact)/sso/link)",
             [&site, &sso](const httplib::Request& req, httplib::Response& res) {
               HandlePendingLink(site, sso, req, res);
             });

  server.Post(R"(/api/(agent|contact)/sso/link/confirm)",
              [&](const httplib::Request& req, httplib::Response& res) {
                HandleConfirmLink(site, auth, sso, req, res);
              });

  server.Get(R"(/api/(agent|contact)/sso/callback)",
             [&site, &sso](const httplib::Request& req, httplib::Response& res) {
               HandleCallback(site, sso, req, res);
             });

  server.Get(kSettingsPath, [&](const httplib::Request& req, httplib::Response& res) {
    auto admin = RequireAuthenticationAdmin(site, auth, req, res);
    if (!admin) return;
    auto json = sso.ProviderJson(PortalOf(req), admin->person.id);
    if (!json.ok()) return SendStatus(res, json.status());
    SendJson(res, json.value());
  });

  server.Put(kSettingsPath, [&](const httplib::Request& req, httplib::Response& res) {
    if (!AcceptJson(req, res)) return;
    auto admin = RequireAuthenticationAdmin(site, auth, req, res);
    if (!admin) return;
    auto body = ParseBody(req);
    if (!body.ok()) return SendError(res, 400, "provider: " + body.error());
    Status s = sso.PutProvider(PortalOf(req), body.value(), *admin, site.ClientAddress(req));
    if (!s.ok()) return SendStatus(res, s);
    auto json = sso.ProviderJson(PortalOf(req), admin->person.id);
    if (!json.ok()) return SendStatus(res, json.status());
    SendJson(res, json.value());
  });

  server.Delete(kSettingsPath, [&](const httplib::Request& req, httplib::Response& res) {
    auto admin = RequireAuthenticationAdmin(site, auth, req, res);
    if (!admin) return;
    Status s = sso.DeleteProvider(PortalOf(req), *admin, site.ClientAddress(req));
    if (!s.ok()) return SendStatus(res, s);
    auto json = sso.ProviderJson(PortalOf(req), admin->person.id);
    if (!json.ok()) return SendStatus(res, json.status());
    SendJson(res, json.value());
  });
}

}  // namespace deskgate::http
