#include "server/http/catalog_routes.h"

#include "server/http/api_routes.h"
#include "server/http/error_response.h"
#include "server/http/http_server.h"
#include "server/http/json_request.h"
#include "shared/core/json_writer.h"

namespace deskgate::http {
namespace {

// /api/groups and /api/locations; /api/catalog/… is the earlier spelling.
constexpr const char* kCollection = R"(/api/(?:catalog/)?(locations|groups))";
constexpr const char* kEntry = R"(/api/(?:catalog/)?(locations|groups)/(\d+))";

store::CatalogKind KindOf(const httplib::Request& req) {
  return req.matches[1].str() == "locations" ? store::CatalogKind::kLocation
                                             : store::CatalogKind::kGroup;
}

int64_t EntryId(const httplib::Request& req) {
  return ParseId(req.matches[2].str()).value_or(0);
}

void WriteEntry(JsonWriter& w, const store::CatalogEntry& e) {
  w.BeginObject().Key("id").Int(e.id).Key("name").String(e.name);
  w.Key("records").Int(e.records).Key("members").Int(e.members).EndObject();
}

// Answers the entry `id` as the list shows it.
void SendEntry(httplib::Response& res, services::CatalogService& catalog, const store::Person& me,
               store::CatalogKind kind, int64_t id, int status) {
  auto entries = catalog.List(me, kind);
  if (!entries.ok()) return SendStatus(res, entries.status());
  for (const store::CatalogEntry& e : entries.value()) {
    if (e.id != id) continue;
    JsonWriter w;
    WriteEntry(w, e);
    return SendJson(res, w.Take(), status);
  }
  SendError(res, 404, "not found");
}

std::optional<std::string> NameFrom(const httplib::Request& req, httplib::Response& res) {
  if (!AcceptJson(req, res)) return std::nullopt;
  auto body = JsonBody(req, res);
  if (!body || !OnlyKnownFields(*body, {"name"}, res)) return std::nullopt;
  return StringField(*body, "name", 400, res);
}

}  // namespace

void InstallCatalogRoutes(httplib::Server& server, const Site& site, services::AuthService& auth,
                          services::CatalogService& catalog) {
  server.Get(kCollection, [&](const httplib::Request& req, httplib::Response& res) {
    auto me = RequireSession(site, auth, req, res);
    if (!me) return;
    auto entries = catalog.List(me->person, KindOf(req));
    if (!entries.ok()) return SendStatus(res, entries.status());
    JsonWriter w;
    w.BeginObject().Key(req.matches[1].str()).BeginArray();
    for (const store::CatalogEntry& e : entries.value()) WriteEntry(w, e);
    SendJson(res, w.EndArray().EndObject().Take());
  });

  server.Post(kCollection, [&](const httplib::Request& req, httplib::Response& res) {
    auto name = NameFrom(req, res);
    if (!name) return;
    auto me = RequireSession(site, auth, req, res);
    if (!me) return;
    auto id = catalog.Add(me->person, KindOf(req), *name, site.ClientAddress(req));
    if (!id.ok()) return SendStatus(res, id.status());
    SendEntry(res, catalog, me->person, KindOf(req), id.value(), 201);
  });

  server.Patch(kEntry, [&](const httplib::Request& req, httplib::Response& res) {
    auto name = NameFrom(req, res);
    if (!name) return;
    auto me = RequireSession(site, auth, req, res);
    if (!me) return;
    Status s =
        catalog.Rename(me->person, KindOf(req), EntryId(req), *name, site.ClientAddress(req));
    if (!s.ok()) return SendStatus(res, s);
    SendEntry(res, catalog, me->person, KindOf(req), EntryId(req), 200);
  });

  server.Delete(kEntry, [&](const httplib::Request& req, httplib::Response& res) {
    auto me = RequireSession(site, auth, req, res);
    if (!me) return;
    services::CatalogMove move;
    if (req.has_param("move_to")) {
      const std::string to = req.get_param_value("move_to");
      move.decided = true;
      if (to != "none") {
        move.to = ParseId(to);
        if (!move.to) return SendError(res, 400, "move_to: an id or none");
      }
    }
    auto moved =
        catalog.Delete(me->person, KindOf(req), EntryId(req), move, site.ClientAddress(req));
    if (!moved.ok()) return SendStatus(res, moved.status());
    JsonWriter w;
    SendJson(res, w.BeginObject().Key("records_moved").Int(moved.value()).EndObject().Take());
  });
}

}  // namespace deskgate::http
