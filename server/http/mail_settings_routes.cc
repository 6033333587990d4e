#include "server/http/mail_settings_routes.h"

#include "server/http/api_routes.h"
#include "server/http/error_response.h"
#include "server/http/http_server.h"
#include "server/http/json_request.h"
#include "server/services/permissions.h"
#include "shared/core/json_writer.h"

namespace deskgate::http {
namespace {

constexpr const char* kPath = "/api/settings/mail";

}  // namespace

void InstallMailSettingsRoutes(httplib::Server& server, const Site& site,
                               services::AuthService& auth, services::MailSettings& mail) {
  // Whether mail gets out, for the people who decide whether codes go by
  // email (the MFA settings warn while it does not).
  server.Get("/api/mail/status", [&](const httplib::Request& req, httplib::Response& res) {
    auto me = RequireSession(site, auth, req, res);
    if (!me) return;
    if (!services::CanManageAuthentication(me->person)) {
      return SendError(res, 403, "you do not have Access to Agent & Contact Authentication");
    }
    const services::MailHealth health = mail.Health();
    JsonWriter w;
    w.BeginObject().Key("delivery").String(health.Delivery());
    w.Key("configured").Bool(health.configured).Key("delivered").Bool(health.delivered);
    w.Key("last_error").String(health.last_error).Key("waiting").Int(health.waiting);
    SendJson(res, w.EndObject().Take());
  });

  server.Get(kPath, [&](const httplib::Request& req, httplib::Response& res) {
    auto me = RequireSession(site, auth, req, res);
    if (!me) return;
    auto json = mail.Json(me->person);
    if (!json.ok()) return SendStatus(res, json.status());
    res.set_header("Cache-Control", "no-store");
    SendJson(res, json.value());
  });

  server.Put(kPath, [&](const httplib::Request& req, httplib::Response& res) {
    if (!AcceptJson(req, res)) return;
    auto me = RequireSession(site, auth, req, res);
    if (!me) return;
    auto body = JsonBody(req, res);
    if (!body) return;
    if (Status s = mail.Put(me->person, *body, site.ClientAddress(req)); !s.ok()) {
      return SendProblems(res, s);
    }
    auto json = mail.Json(me->person);
    if (!json.ok()) return SendStatus(res, json.status());
    SendJson(res, json.value());
  });

  server.Delete(kPath, [&](const httplib::Request& req, httplib::Response& res) {
    auto me = RequireSession(site, auth, req, res);
    if (!me) return;
    if (Status s = mail.Delete(me->person, site.ClientAddress(req)); !s.ok()) {
      return SendStatus(res, s);
    }
    SendJson(res, R"({"status":"removed"})");
  });

  server.Post(std::string(kPath) + "/test",
              [&](const httplib::Request& req, httplib::Response& res) {
                if (!AcceptJson(req, res)) return;
                auto me = RequireSession(site, auth, req, res);
                if (!me) return;
                auto body = JsonBody(req, res);
                if (!body || !OnlyKnownFields(*body, {"to"}, res)) return;
                std::string to;
                if (Status s = ReadString(*body, "to", 254, to); !s.ok()) return SendStatus(res, s);
                auto sent = mail.SendTest(me->person, to, site.ClientAddress(req));
                if (!sent.ok()) return SendStatus(res, sent.status());
                JsonWriter w;
                w.BeginObject().Key("sent").Bool(sent.value().empty());
                w.Key("to").String(to.empty() ? me->person.email : to);
                if (!sent.value().empty()) w.Key("error").String(sent.value());
                SendJson(res, w.EndObject().Take());
              });
}

}  // namespace deskgate::http
