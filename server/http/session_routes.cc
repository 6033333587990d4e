#include "server/http/session_routes.h"

#include "server/http/api_routes.h"
#include "server/http/client_address.h"
#include "server/http/http_server.h"
#include "server/http/json_request.h"
#include "shared/core/json_writer.h"
#include "shared/core/utf8.h"

namespace deskgate::http {
namespace {

store::AuditEvent EndedEvent(const services::SessionInfo& who, const httplib::Request& req,
                             const char* event) {
  return {0,     who.person.id,    store::PortalName(who.person.portal),
          event, who.person.email, ClientAddress(req),
          "{}"};
}

}  // namespace

void InstallSessionRoutes(httplib::Server& server, services::AuthService& auth,
                          store::Store& store) {
  server.Get("/api/sessions", [&](const httplib::Request& req, httplib::Response& res) {
    auto me = RequireSession(auth, req, res, true);
    if (!me) return;
    auto rows = store.ListSessions(me->person.id);
    if (!rows.ok()) return SendError(res, 500, "sessions are unavailable");
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
    if (!SameOrigin(req, res)) return;
    auto me = RequireSession(auth, req, res, true);
    if (!me) return;
    store::AuditEvent audit = EndedEvent(*me, req, "session.ended");
    audit.at = auth.Now();
    // (0 would mean "every session" to the store: refuse it here.)
    const auto id = ParseId(req.matches[1].str());
    if (!id) return SendError(res, 404, "no such session");
    auto ended = store.EndSessions(me->person.id, *id, 0, audit);
    if (!ended.ok()) return SendError(res, 500, "could not end the session");
    // Someone else's session, or one already gone, is simply not found.
    if (ended.value() == 0) return SendError(res, 404, "no such session");
    res.set_content(R"({"status":"ended"})", "application/json");
  });

  server.Post("/api/sessions/end-others", [&](const httplib::Request& req, httplib::Response& res) {
    if (!AcceptStateChange(req, res)) return;
    auto me = RequireSession(auth, req, res, true);
    if (!me) return;
    store::AuditEvent audit = EndedEvent(*me, req, "session.ended_others");
    audit.at = auth.Now();
    auto ended = store.EndSessions(me->person.id, 0, me->session.id, audit);
    if (!ended.ok()) return SendError(res, 500, "could not end the sessions");
    res.set_content(R"({"ended":)" + std::to_string(ended.value()) + "}", "application/json");
  });
}

}  // namespace deskgate::http
