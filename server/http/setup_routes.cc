#include "server/http/setup_routes.h"

#include "server/http/error_response.h"
#include "server/http/http_server.h"
#include "server/http/json_request.h"

namespace deskgate::http {

void InstallSetupRoutes(httplib::Server& server, const Site& site, services::Accounts& accounts) {
  server.Post(
      "/api/setup", [&site, &accounts](const httplib::Request& req, httplib::Response& res) {
        if (!AcceptJson(req, res)) return;
        auto body = JsonBody(req, res);
        if (!body) return;
        auto token = StringField(*body, "token", 128, res);
        if (!token) return;
        auto email = StringField(*body, "email", 254, res);
        if (!email) return;
        auto name = StringField(*body, "name", 200, res);
        if (!name) return;
        auto password = StringField(*body, "password", 4096, res);
        if (!password) return;
        auto id = accounts.CompleteSetup(*token, *email, *name, *password, site.ClientAddress(req));
        if (!id.ok()) return SendStatus(res, id.status());
        res.set_content(R"({"status":"ok"})", "application/json");
      });
}

}  // namespace deskgate::http
