#include "server/http/audit_routes.h"

#include "server/http/api_routes.h"
#include "server/http/error_response.h"
#include "server/http/http_server.h"
#include "server/http/json_request.h"
#include "server/services/audit_log.h"
#include "shared/core/csv_writer.h"
#include "shared/core/json_writer.h"
#include "shared/core/utf8.h"

namespace deskgate::http {
namespace {

// Reads the filters, answering 400 on a bad one.
std::optional<store::AuditFilter> ReadFilter(const httplib::Request& req, httplib::Response& res,
                                             int max_limit) {
  store::AuditFilter f;
  f.person = req.get_param_value("person");
  f.event = req.get_param_value("event");
  if (f.person.size() > 254 || f.event.size() > 100 || !IsValidUtf8(f.person) ||
      !IsValidUtf8(f.event)) {
    SendError(res, 400, "person and event must be short text");
    return std::nullopt;
  }
  int64_t limit = f.limit, offset = 0;
  constexpr int64_t kMaxTime = int64_t{1} << 40;
  if (!IntParam(req, "from", kMaxTime, f.from, res) || !IntParam(req, "to", kMaxTime, f.to, res) ||
      !IntParam(req, "limit", max_limit, limit, res) ||
      !IntParam(req, "offset", 1'000'000'000, offset, res)) {
    return std::nullopt;
  }
  f.limit = static_cast<int>(limit);
  f.offset = static_cast<int>(offset);
  return f;
}

// The signed-in administrator, or nullopt after 401/403.
std::optional<services::SessionInfo> RequireReader(const Site& site, services::AuthService& auth,
                                                   const httplib::Request& req,
                                                   httplib::Response& res) {
  auto me = RequireSession(site, auth, req, res);
  if (!me) return std::nullopt;
  if (!services::AuditLog::CanRead(me->person)) {
    SendError(res, 403, "your role does not open the audit log");
    return std::nullopt;
  }
  return me;
}

}  // namespace

void InstallAuditRoutes(httplib::Server& server, const Site& site, services::AuthService& auth,
                        services::AuditLog& audit) {
  server.Get("/api/audit", [&](const httplib::Request& req, httplib::Response& res) {
    auto me = RequireReader(site, auth, req, res);
    if (!me) return;
    auto filter = ReadFilter(req, res, 500);
    if (!filter) return;
    auto result = audit.Query(me->person, *filter);
    if (!result.ok()) return SendStatus(res, result.status());
    JsonWriter w(4096);
    w.BeginObject().Key("total").Int(result.value().total).Key("events").BeginArray();
    for (const store::AuditRow& r : result.value().rows) {
      w.BeginObject()
          .Key("id")
          .Int(r.id)
          .Key("at")
          .Int(r.at)
          .Key("actor")
          .String(r.actor)
          .Key("portal")
          .String(r.portal)
          .Key("event")
          .String(r.event)
          .Key("target")
          .String(r.target)
          .Key("ip")
          .String(r.ip)
          .Key("details")
          .Raw(r.details)
          .EndObject();
    }
    w.EndArray().EndObject();
    res.set_header("Cache-Control", "no-store");
    res.set_content(w.Take(), "application/json");
  });

  server.Get("/api/audit.csv", [&](const httplib::Request& req, httplib::Response& res) {
    auto me = RequireReader(site, auth, req, res);
    if (!me) return;
    auto filter = ReadFilter(req, res, 100'000);
    if (!filter) return;
    if (!req.has_param("limit")) filter->limit = 100'000;
    auto result = audit.Query(me->person, *filter);
    if (!result.ok()) return SendStatus(res, result.status());
    std::string csv = "id,time_utc_unix,actor,portal,event,target,ip,details\r\n";
    for (const store::AuditRow& r : result.value().rows) {
      AppendCsvRow(csv, {std::to_string(r.id), std::to_string(r.at), r.actor, r.portal, r.event,
                         r.target, r.ip, r.details});
    }
    res.set_header("Cache-Control", "no-store");
    res.set_header("Content-Disposition", "attachment; filename=\"deskgate-audit.csv\"");
    res.set_content(csv, "text/csv; charset=utf-8");
  });
}

}  // namespace deskgate::http
