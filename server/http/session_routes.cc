#include "server/http/session_routes.h"

#include "server/http/api_routes.h"
#include "server/http/error_response.h"
#include "server/http/http_server.h"
#include "server/http/json_request.h"
#include "shared/core/json_writer.h"
#include "shared/core/utf8.h"

namespace deskgate::http {
void InstallSessionRoutes(httplib::Server& server, const Site& site, services::AuthService& auth) {
  server.Get("/api/sessions", [&](const httplib::Request& req, httplib::Response& res) {
    auto me = RequireSession(site, auth, req, res, true);
    if (!me) return;
    auto rows = auth.SessionsOf(*me);
    if (!rows.ok()) return SendStatus(res, rows.status());
    JsonWriter w;
    w.BeginObject().Key("sessions").BeginArray();
    for (const store::SessionRow& r : rows.value()) {
      // User-Agent comes from the client: never echo bytes that are not text.
      const std::string agent = IsValidUtf8(r.user_agent) ? r.user_agent.substr(0, 300) : "";
      w.BeginObject()
          .Key("id")
          .Int(r.id)
          .Key("current")
          .Bool(r.id == me->session.id)
          .Key("ip")
          .String(r.ip)
          .Key("user_agent")
          .String(IsValidUtf8(agent) ? agent : "")
          .Key("created_at")
          .Int(r.created_at)
          .Key("last_seen_at")
          .Int(r.last_seen_at)
          .EndObject();
    }
    w.EndArray().EndObject();
    res.set_header("Cache-Control", "no-store");
    res.set_content(w.Take(), "application/json");
  });

  server.Delete(R"(/api/sessions/(\d+))", [&](const httplib::Request& req, httplib::Response& res) {
    auto me = RequireSession(site, auth, req, res, true);
    if (!me) return;
    const auto id = ParseId(req.matches[1].str());
    if (!id) return SendError(res, 404, "no such session");
    if (Status s = auth.EndSession(*me, *id, site.ClientAddress(req)); !s.ok()) {
      return SendStatus(res, s);
    }
    res.set_content(R"({"status":"ended"})", "application/json");
  });

  server.Post("/api/sessions/end-others", [&](const httplib::Request& req, httplib::Response& res) {
    if (!AcceptJson(req, res)) return;
    auto me = RequireSession(site, auth, req, res, true);
    if (!me) return;
    auto ended = auth.EndOtherSessions(*me, site.ClientAddress(req));
    if (!ended.ok()) return SendStatus(res, ended.status());
    res.set_content(R"({"ended":)" + std::to_string(ended.value()) + "}", "application/json");
  });
}

}  // namespace deskgate::http
