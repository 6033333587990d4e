#include "server/http/settings_routes.h"

#include "server/http/api_routes.h"
#include "server/http/error_response.h"
#include "server/http/http_server.h"
#include "server/http/json_request.h"

namespace deskgate::http {
namespace {

constexpr const char* kPath = R"(/api/settings/authentication/(agent|contact))";

void SendSettings(httplib::Response& res, const AuthSettings& settings) {
  res.set_header("Cache-Control", "no-store");
  res.set_content(AuthSettingsToJson(settings), "application/json");
}

}  // namespace

std::optional<services::SessionInfo> RequireAuthenticationAdmin(const Site& site,
                                                                services::AuthService& auth,
                                                                const httplib::Request& req,
                                                                httplib::Response& res) {
  auto info = RequireSession(site, auth, req, res);
  if (!info) return std::nullopt;
  if (!services::CanManageAuthentication(info->person)) {
    SendError(res, 403, "you do not have Access to Agent & Contact Authentication");
    return std::nullopt;
  }
  return info;
}

void InstallSettingsRoutes(httplib::Server& server, const Site& site, services::AuthService& auth,
                           services::SettingsService& settings) {
  server.Get(kPath, [&](const httplib::Request& req, httplib::Response& res) {
    if (!RequireAuthenticationAdmin(site, auth, req, res)) return;
    auto read = settings.Get(*store::ParsePortal(req.matches[1].str()));
    if (!read.ok()) return SendStatus(res, read.status());
    SendSettings(res, read.value());
  });

  server.Put(kPath, [&](const httplib::Request& req, httplib::Response& res) {
    if (!AcceptJson(req, res)) return;
    auto admin = RequireAuthenticationAdmin(site, auth, req, res);
    if (!admin) return;
    auto change = ParseBody(req);
    if (!change.ok()) return SendError(res, 400, "settings: " + change.error());
    auto saved = settings.Put(*store::ParsePortal(req.matches[1].str()), change.value(),
                              admin->person.id, admin->session.id, site.ClientAddress(req));
    if (!saved.ok()) return SendProblems(res, saved.status());  // a rule (400) or the database
    SendSettings(res, saved.value());
  });
}

}  // namespace deskgate::http
