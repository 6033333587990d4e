#include "server/http/api_routes.h"
#include "server/observe/metrics.h"

#include "server/http/error_response.h"
#include "server/http/http_server.h"
#include "server/http/json_request.h"
#include "server/http/site.h"
#include "server/services/permissions.h"
#include "shared/core/json_writer.h"
#include "shared/core/status.h"
#include "shared/password/password_policy.h"

namespace deskgate::http {
namespace {

std::string JsonObject(std::initializer_list<std::pair<const char*, std::string>> fields) {
  JsonWriter w;
  w.BeginObject();
  for (const auto& [key, value] : fields) w.Key(key).String(value);
  w.EndObject();
  return w.Take();
}

// {"status":…} and, when a second factor is owed, the methods on offer.
std::string LoginAnswer(const services::LoginResult& result) {
  JsonWriter w;
  w.BeginObject().Key("status").String(result.sign_in_status);
  if (result.mfa.step != MfaChallenge::Step::kNone) {
    w.Key("methods").BeginArray();
    for (const std::string& m : result.mfa.methods) w.String(m);
    w.EndArray().Key("setup_suggested").Bool(result.mfa.setup_suggested);
  }
  return w.EndObject().Take();
}

// The outcome label of a password sign-in, for /metrics.
const char* SignInOutcome(const services::LoginResult& result) {
  if (result.ok()) return result.sign_in_status.rfind("mfa_", 0) == 0 ? "second_factor" : "success";
  return observe::OutcomeOf(result.status.code());
}

void HandleLogin(const Site& site, services::AuthService& auth, store::Portal portal,
                 const httplib::Request& req, httplib::Response& res) {
  if (!AcceptJson(req, res)) return;
  auto body = JsonBody(req, res);
  if (!body) return;
  auto email = StringField(*body, "email", 254, res);
  if (!email) return;
  auto password = StringField(*body, "password", 4096, res);
  if (!password) return;

  const auto result = auth.Login(
      {portal, *email, *password, site.ClientAddress(req), req.get_header_value("User-Agent")});
  observe::Count(observe::Counter::kSignIns,
                 {store::PortalName(portal), "password", SignInOutcome(result)});
  if (!result.ok()) return SendStatus(res, result.status);
  SetSessionCookie(site, res, result.session_token, false);
  res.set_content(LoginAnswer(result), "application/json");
}

}  // namespace

void SetSessionCookie(const Site& site, httplib::Response& res, const std::string& token,
                      bool clear) {
  std::string cookie = site.CookieName(kSessionCookie) + "=" + (clear ? "" : token) +
                       "; Path=/; HttpOnly; SameSite=Strict" + site.SecureCookieFlag();
  if (clear) cookie += "; Max-Age=0";
  res.set_header("Set-Cookie", cookie);
}

std::string CookieValue(const httplib::Request& req, std::string_view name) {
  const std::string prefix = std::string(name) + "=";
  std::string found;
  bool seen = false;
  for (size_t h = 0, n = req.get_header_value_count("Cookie"); h < n; ++h) {
    const std::string cookies = req.get_header_value("Cookie", h);
    size_t pos = 0;
    while (pos < cookies.size()) {
      while (pos < cookies.size() && (cookies[pos] == ' ' || cookies[pos] == ';')) ++pos;
      const size_t end = std::min(cookies.find(';', pos), cookies.size());
      if (cookies.compare(pos, prefix.size(), prefix) == 0) {
        // Two cookies of one name: one was planted (by a sibling domain or
        // a path of its own) and nothing tells which; trust neither.
        if (seen) return "";
        seen = true;
        found = cookies.substr(pos + prefix.size(), end - pos - prefix.size());
      }
      pos = end;
    }
  }
  return found;
}

std::string SessionToken(const Site& site, const httplib::Request& req) {
  return CookieValue(req, site.CookieName(kSessionCookie));
}

std::optional<services::SessionInfo> RequireSession(const Site& site, services::AuthService& auth,
                                                    const httplib::Request& req,
                                                    httplib::Response& res,
                                                    bool allow_password_change_pending) {
  auto info = auth.Authenticate(SessionToken(site, req), site.ClientAddress(req));
  if (!info) {
    SendError(res, 401, "not signed in");
    return std::nullopt;
  }
  // A session from single sign-on proved no password, so none is owed.
  if (info->person.must_change_password && !info->session.via_sso &&
      !allow_password_change_pending) {
    SendError(res, 403, "change your password first");
    return std::nullopt;
  }
  return info;
}

namespace {

void SendDeadlines(httplib::Response& res,
                   const std::optional<services::AuthService::SessionDeadlines>& d,
                   bool timed_out = false) {
  res.set_header("Cache-Control", "no-store");
  if (!d) {
    // "timeout": the session sat idle or ran out; "ended": it is gone.
    JsonWriter w;
    w.BeginObject().Key("error").String("not signed in").Key("code").String("unauthenticated");
    w.Key("reason").String(timed_out ? "timeout" : "ended");
    return SendJson(res, w.EndObject().Take(), 401);
  }
  JsonWriter w;
  w.BeginObject().Key("now").Int(d->now).Key("idle_ends_at").Int(d->idle_ends_at);
  w.Key("ends_at").Int(d->ends_at).Key("idle_timeout_minutes").Int(d->idle_timeout_minutes);
  SendJson(res, w.EndObject().Take());
}

}  // namespace

void InstallAuthRoutes(httplib::Server& server, const Site& site, services::AuthService& auth,
                       services::SsoService& sso, services::Notices& notices) {
  server.Post(R"(/api/(agent|contact)/login)",
              [&site, &auth](const httplib::Request& req, httplib::Response& res) {
                HandleLogin(site, auth, *store::ParsePortal(req.matches[1].str()), req, res);
              });

  // The session's deadlines, without counting as activity (the pages'
  // timeout warning); POST counts as activity: "Stay signed in".
  server.Get("/api/session", [&site, &auth](const httplib::Request& req, httplib::Response& res) {
    bool timed_out = false;
    auto deadlines = auth.Deadlines(SessionToken(site, req), &timed_out);
    SendDeadlines(res, deadlines, timed_out);
  });
  server.Post("/api/session/keep-alive",
              [&site, &auth](const httplib::Request& req, httplib::Response& res) {
                const std::string token = SessionToken(site, req);
                if (!auth.Authenticate(token, site.ClientAddress(req))) {
                  return SendDeadlines(res, std::nullopt);
                }
                SendDeadlines(res, auth.Deadlines(token));
              });

  server.Get("/api/me", [&site, &auth](const httplib::Request& req, httplib::Response& res) {
    auto info = RequireSession(site, auth, req, res, true);
    if (!info) return;
    const store::Person& p = info->person;
    auto policy = auth.PolicyJsonFor(p.portal);
    if (!policy.ok()) return SendStatus(res, policy.status());
    JsonWriter w(256);
    w.BeginObject()
        .Key("id")
        .Int(p.id)
        .Key("portal")
        .String(store::PortalName(p.portal))
        .Key("email")
        .String(p.email)
        .Key("name")
        .String(p.name);
    w.Key("role");
    if (p.role) {
      w.String(p.role->name);
    } else {
      w.Null();
    }
    w.Key("must_change_password").Bool(p.must_change_password);
    // What the pages may offer; the server checks again on every route.
    w.Key("permissions").BeginArray();
    for (std::string_view name : services::PermissionsOf(p).Names()) w.String(name);
    w.EndArray();
    // The policy a new password must meet, for the page's live checklist.
    w.Key("password_policy").Raw(policy.value()).EndObject();
    res.set_header("Cache-Control", "no-store");
    res.set_content(w.Take(), "application/json");
  });

  server.Post("/api/password", [&site, &auth, &notices](const httplib::Request& req,
                                                        httplib::Response& res) {
    if (!AcceptJson(req, res)) return;
    auto info = RequireSession(site, auth, req, res, true);
    if (!info) return;
    auto body = JsonBody(req, res);
    if (!body) return;
    auto current = StringField(*body, "current_password", 4096, res);
    if (!current) return;
    auto replacement = StringField(*body, "new_password", 4096, res);
    if (!replacement) return;
    Status s = auth.ChangePassword(*info, *current, *replacement, site.ClientAddress(req));
    if (!s.ok()) return SendError(res, 400, s.message());
    notices.AccountChanged(info->person, "Your password was changed, and your other sessions ended",
                           services::Notices::By::kThemselves);
    res.set_content(JsonObject({{"status", "changed"}}), "application/json");
  });

  server.Post(
      R"(/api/people/(\d+)/require-password-change)",
      [&site, &auth](const httplib::Request& req, httplib::Response& res) {
        if (!AcceptJson(req, res)) return;
        auto info = RequireSession(site, auth, req, res);
        if (!info) return;
        if (!services::PermissionsOf(info->person).administrator) {
          return SendError(res, 403, "only administrators can reset passwords");
        }
        Status s = auth.RequirePasswordChange(
            info->person, ParseId(req.matches[1].str()).value_or(0), site.ClientAddress(req));
        if (!s.ok()) return SendStatus(res, s);  // 404 for nobody, 503 for the database
        res.set_content(JsonObject({{"status", "password_change_required"}}), "application/json");
      });

  server.Post("/api/logout",
              [&site, &auth, &sso](const httplib::Request& req, httplib::Response& res) {
                auto ended = auth.Logout(SessionToken(site, req), site.ClientAddress(req));
                if (!ended.ok()) return SendError(res, 401, "not signed in");
                SetSessionCookie(site, res, "", true);
                // A single sign-on session may also end the provider's session; the
                // page offers it (the person may be signed in to other apps there).
                const std::string end_session =
                    ended.value().via_sso ? sso.EndSessionUrl(ended.value().portal) : "";
                JsonWriter w;
                w.BeginObject().Key("status").String("signed_out");
                if (!end_session.empty()) w.Key("end_session_url").String(end_session);
                SendJson(res, w.EndObject().Take());
              });
}

}  // namespace deskgate::http
