#include "server/http/password_reset_routes.h"

#include "server/http/error_response.h"
#include "server/http/http_server.h"
#include "server/http/json_request.h"
#include "shared/core/json_writer.h"

namespace deskgate::http {
namespace {

void SendView(httplib::Response& res, const Result<services::ResetView>& view) {
  if (!view.ok()) return SendStatus(res, view.status());
  JsonWriter w;
  w.BeginObject().Key("portal").String(store::PortalName(view.value().portal));
  w.Key("email").String(view.value().email).Key("name").String(view.value().name);
  w.Key("policy").Raw(view.value().policy_json);
  SendJson(res, w.EndObject().Take());
}

}  // namespace

void InstallPasswordResetRoutes(httplib::Server& server, const Site& site,
                                services::PasswordReset& reset, services::Notices& notices) {
  server.Post(R"(/api/(agent|contact)/password-reset)",
              [&](const httplib::Request& req, httplib::Response& res) {
                if (!AcceptJson(req, res)) return;
                auto body = JsonBody(req, res);
                if (!body || !OnlyKnownFields(*body, {"email"}, res)) return;
                auto email = StringField(*body, "email", 254, res);
                if (!email) return;
                Status s = reset.Request(*store::ParsePortal(req.matches[1].str()), *email,
                                         site.ClientAddress(req));
                if (!s.ok()) return SendStatus(res, s);
                SendJson(res,
                         R"({"status":"sent","message":"If an account uses this address, a link )"
                         R"(to choose a new password is on its way. It works for 30 minutes."})",
                         202);
              });

  server.Post("/api/password-reset/(lookup|complete)", [&](const httplib::Request& req,
                                                           httplib::Response& res) {
    if (!AcceptJson(req, res)) return;
    auto body = JsonBody(req, res);
    if (!body || !OnlyKnownFields(*body, {"token", "password"}, res)) return;
    auto token = StringField(*body, "token", 200, res);
    if (!token) return;
    if (req.matches[1].str() == "lookup") {
      return SendView(res, reset.Lookup(*token, site.ClientAddress(req)));
    }
    auto password = StringField(*body, "password", 4096, res);
    if (!password) return;
    auto done = reset.Complete(*token, *password, site.ClientAddress(req));
    if (done.ok()) {
      store::Person person;
      person.email = done.value().email;
      person.name = done.value().name;
      notices.AccountChanged(person, "Your password was reset with a link mailed to this address",
                             services::Notices::By::kThemselves);
    }
    SendView(res, done);
  });
}

}  // namespace deskgate::http
