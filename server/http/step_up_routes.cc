#include "server/http/step_up_routes.h"

#include "server/http/api_routes.h"
#include "server/http/error_response.h"
#include "server/http/http_server.h"
#include "server/http/json_request.h"
#include "shared/core/json_writer.h"

namespace deskgate::http {
namespace {

// Until when the session's last proof of identity allows dangerous changes
// (0 when it never did).
int64_t ValidUntil(const services::SessionInfo& session) {
  const int64_t at = session.session.reauthenticated_at;
  return at > 0 ? at + services::kStepUpSeconds : 0;
}

// An optional string field: "" when absent, 400 when not a short string.
std::optional<std::string> OptionalString(const JsonValue& body, const char* key,
                                          httplib::Response& res) {
  if (body.Find(key) == nullptr) return std::string();
  return StringField(body, key, 64, res);
}

}  // namespace

void InstallStepUpRoutes(httplib::Server& server, const Site& site, services::AuthService& auth,
                         services::MfaService& mfa) {
  server.Get("/api/reauthenticate", [&](const httplib::Request& req, httplib::Response& res) {
    auto me = RequireSession(site, auth, req, res);
    if (!me) return;
    auto step_up = auth.StepUpFor(me->person);
    if (!step_up.ok()) return SendStatus(res, step_up.status());
    JsonWriter w;
    w.BeginObject().Key("password").Bool(step_up.value().password).Key("methods").BeginArray();
    for (const std::string& m : step_up.value().methods) w.String(m);
    w.EndArray().Key("valid_until").Int(ValidUntil(*me));
    SendJson(res, w.EndObject().Take());
  });

  server.Post("/api/reauthenticate", [&](const httplib::Request& req, httplib::Response& res) {
    if (!AcceptJson(req, res)) return;
    auto body = JsonBody(req, res);
    if (!body || !OnlyKnownFields(*body, {"password", "method", "code"}, res)) return;
    auto password = StringField(*body, "password", 4096, res);
    if (!password) return;
    auto method = OptionalString(*body, "method", res);
    if (!method) return;
    auto code = OptionalString(*body, "code", res);
    if (!code) return;
    auto me = RequireSession(site, auth, req, res);
    if (!me) return;
    const Status s = auth.Reauthenticate(*me, *password, *method, *code, site.ClientAddress(req));
    if (!s.ok()) return SendStatus(res, s);
    JsonWriter w;
    w.BeginObject().Key("status").String("ok");
    w.Key("valid_until").Int(auth.Now() + services::kStepUpSeconds);
    SendJson(res, w.EndObject().Take());
  });

  server.Post(
      "/api/reauthenticate/email", [&](const httplib::Request& req, httplib::Response& res) {
        auto me = RequireSession(site, auth, req, res);
        if (!me) return;
        const services::MfaOutcome o = mfa.SendStepUpEmailCode(me->person, site.ClientAddress(req));
        if (!o.ok()) return SendStatus(res, o.status);
        JsonWriter w;
        w.BeginObject().Key("sent_to").String(o.sent_to);
        SendJson(res, w.EndObject().Take());
      });
}

}  // namespace deskgate::http
