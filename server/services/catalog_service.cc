#include "server/services/catalog_service.h"

#include <algorithm>

#include "server/services/people_service.h"
#include "shared/core/json_writer.h"
#include "shared/core/utf8.h"

namespace deskgate::services {
namespace {

Status RequireAdministrator(const store::Person& viewer) {
  if (PeopleService::CanManage(viewer)) return Status::Ok();
  return Status::Of(StatusCode::kPermissionDenied,
                    "only Administrators manage groups and locations");
}

Status CheckName(std::string& name) {
  const size_t start = name.find_first_not_of(" \t");
  name = start == std::string::npos ? std::string()
                                    : name.substr(start, name.find_last_not_of(" \t") - start + 1);
  if (name.empty() || name.size() > CatalogService::kMaxNameBytes || !IsValidUtf8(name)) {
    return Status::Error("name: 1 to 100 bytes of text");
  }
  return Status::Ok();
}

std::string NameDetails(const std::string& name) {
  JsonWriter w;
  return w.BeginObject().Key("name").String(name).EndObject().Take();
}

}  // namespace

Result<std::vector<store::CatalogEntry>> CatalogService::List(const store::Person& viewer,
                                                              store::CatalogKind kind) {
  if (Status s = RequireAdministrator(viewer); !s.ok()) return s;
  return store_.ListCatalog(kind);
}

Result<int64_t> CatalogService::Add(const store::Person& viewer, store::CatalogKind kind,
                                    std::string name, const std::string& ip) {
  if (Status s = RequireAdministrator(viewer); !s.ok()) return s;
  if (Status s = CheckName(name); !s.ok()) return s;
  return store_.AddCatalogEntry(
      kind, name,
      {clock_.Now(), viewer.id, "agent", std::string(store::CatalogKindName(kind)) + ".created",
       name, ip, NameDetails(name)});
}

Status CatalogService::Rename(const store::Person& viewer, store::CatalogKind kind, int64_t id,
                              std::string name, const std::string& ip) {
  if (Status s = RequireAdministrator(viewer); !s.ok()) return s;
  if (Status s = CheckName(name); !s.ok()) return s;
  auto entries = store_.ListCatalog(kind);
  if (!entries.ok()) return entries.status();
  const auto before = std::find_if(entries.value().begin(), entries.value().end(),
                                   [&](const store::CatalogEntry& e) { return e.id == id; });
  if (before == entries.value().end()) {
    return Status::Of(StatusCode::kNotFound,
                      std::string(store::CatalogKindName(kind)) + " not found");
  }
  JsonWriter details;
  details.BeginObject().Key("before").Raw(NameDetails(before->name));
  details.Key("after").Raw(NameDetails(name)).EndObject();
  return store_.RenameCatalogEntry(
      kind, id, name,
      {clock_.Now(), viewer.id, "agent", std::string(store::CatalogKindName(kind)) + ".renamed",
       name, ip, details.Take()});
}

Result<int64_t> CatalogService::Delete(const store::Person& viewer, store::CatalogKind kind,
                                       int64_t id, CatalogMove move, const std::string& ip) {
  if (Status s = RequireAdministrator(viewer); !s.ok()) return s;
  auto entries = store_.ListCatalog(kind);
  if (!entries.ok()) return entries.status();
  const auto find = [&](int64_t wanted) {
    return std::find_if(entries.value().begin(), entries.value().end(),
                        [&](const store::CatalogEntry& e) { return e.id == wanted; });
  };
  const auto entry = find(id);
  const char* what = store::CatalogKindName(kind);
  if (entry == entries.value().end()) {
    return Status::Of(StatusCode::kNotFound, std::string(what) + " not found");
  }
  if (move.to && (*move.to == id || find(*move.to) == entries.value().end())) {
    return Status::Of(StatusCode::kNotFound,
                      std::string("the ") + what + " to move to was not found");
  }
  if (!move.decided && (entry->records > 0 || entry->members > 0)) {
    std::string used = std::to_string(entry->records) + " records";
    if (kind == store::CatalogKind::kGroup)
      used += " and " + std::to_string(entry->members) + " agents";
    return Status::Of(StatusCode::kConflict,
                      "'" + entry->name + "' is used by " + used + ": choose where they move");
  }
  return records_.DeleteCatalogEntry(viewer, kind, id, move.to, ip);
}

}  // namespace deskgate::services
