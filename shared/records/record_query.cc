#include "shared/records/record_query.h"

#include "shared/core/json_fields.h"
#include "shared/core/json_writer.h"

namespace deskgate {
namespace {

constexpr const char* kSortKeys[] = {"name",      "asset_tag",        "type",
                                     "publisher", "version_string",   "impact",
                                     "location",  "managed_by_group", "managed_by_agent",
                                     "updated_at"};

struct RefKey {
  const char* key;
  RefFilter GridFilter::*filter;
};

constexpr RefKey kRefKeys[] = {{"location_id", &GridFilter::location},
                               {"managed_by_group_id", &GridFilter::group},
                               {"managed_by_agent_id", &GridFilter::agent}};

Status ReadSort(const JsonValue& object, GridQuery& query) {
  if (const JsonValue* sort = object.Find("sort")) {
    bool known = false;
    for (const char* key : kSortKeys) {
      if (sort->is_string() && sort->as_string() == key) known = true;
    }
    if (!known) {
      return Status::Error(
          "sort: must be one of name, asset_tag, type, publisher, version_string, impact, "
          "location, managed_by_group, managed_by_agent, updated_at");
    }
    query.sort = sort->as_string();
  }
  if (const JsonValue* dir = object.Find("dir")) {
    if (!dir->is_string() || (dir->as_string() != "asc" && dir->as_string() != "desc")) {
      return Status::Error("dir: must be asc or desc");
    }
    query.descending = dir->as_string() == "desc";
  }
  return Status::Ok();
}

Status ReadRefFilter(const JsonValue& object, const RefKey& ref, GridFilter& filter) {
  const JsonValue* value = object.Find(ref.key);
  if (value == nullptr) return Status::Ok();
  auto id = ReadRecordRef(*value, ref.key);
  if (!id.ok()) return id.status();
  filter.*ref.filter = RefFilter{true, id.value()};
  return Status::Ok();
}

Status ReadFilter(const JsonValue& object, GridFilter& filter) {
  if (Status s = ReadString(object, "q", kMaxSearchBytes, filter.q); !s.ok()) return s;
  if (const JsonValue* impact = object.Find("impact"); impact != nullptr && !impact->is_null()) {
    filter.impact = impact->is_string() ? ParseImpact(impact->as_string()) : std::nullopt;
    if (!filter.impact) return Status::Error("impact: must be low, medium, high or null");
  }
  for (const RefKey& ref : kRefKeys) {
    if (Status s = ReadRefFilter(object, ref, filter); !s.ok()) return s;
  }
  return ReadBool(object, "retired", filter.retired);
}

}  // namespace

Result<GridFilter> GridFilterFromJson(const JsonValue& object, std::string_view where) {
  const std::string prefix(where);
  if (Status s = CheckObject(
          object, prefix,
          {"q", "impact", "location_id", "managed_by_group_id", "managed_by_agent_id", "retired"});
      !s.ok()) {
    return s;
  }
  GridFilter filter;
  if (Status s = ReadFilter(object, filter); !s.ok()) {
    return Status::Error(prefix + "." + s.message());
  }
  return filter;
}

Result<GridQuery> ParseGridQuery(std::string_view json) {
  auto object = ParseObject(json, "query",
                            {"sort", "dir", "q", "impact", "location_id", "managed_by_group_id",
                             "managed_by_agent_id", "retired"});
  if (!object.ok()) return object.status();
  GridQuery query;
  if (Status s = ReadSort(object.value(), query); !s.ok()) return s;
  if (Status s = ReadFilter(object.value(), query.filter); !s.ok()) return s;
  return query;
}

std::string GridFilterToJson(const GridFilter& filter) {
  JsonWriter w;
  w.BeginObject();
  if (!filter.q.empty()) w.Key("q").String(filter.q);
  if (filter.impact) w.Key("impact").String(ImpactName(*filter.impact));
  for (const RefKey& ref : kRefKeys) {
    const RefFilter& f = filter.*ref.filter;
    if (!f.set) continue;
    w.Key(ref.key);
    if (f.id) {
      w.Int(*f.id);
    } else {
      w.Null();
    }
  }
  if (filter.retired) w.Key("retired").Bool(true);
  w.EndObject();
  return w.Take();
}

}  // namespace deskgate
