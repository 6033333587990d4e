#include "server/http/record_request.h"

#include <charconv>

#include "server/http/json_request.h"
#include "server/services/records_service.h"
#include "shared/core/utf8.h"
#include "shared/records/record_query.h"

namespace deskgate::http {

using store::RecordKind;

const char* Detail1Name(RecordKind kind) {
  return kind == RecordKind::kAsset ? "asset_tag" : "publisher";
}

const char* Detail2Name(RecordKind kind) {
  return kind == RecordKind::kAsset ? "type" : "version_string";
}

namespace {

// A reference filter from the query string: an id, or "none".
// The first value of `key`, or nullptr.
const std::string* Param(const httplib::Params& params, const char* key) {
  auto it = params.find(key);
  return it == params.end() ? nullptr : &it->second;
}

Result<store::RefFilter> RefParam(const httplib::Params& params, const char* key) {
  const std::string* given = Param(params, key);
  if (given == nullptr) return store::RefFilter();
  const std::string& value = *given;
  if (value == "none") return store::RefFilter{true, std::nullopt};
  if (auto id = ParseId(value)) return store::RefFilter{true, *id};
  return Status::Error(std::string(key) + ": must be an id or none");
}

Result<store::RecordSort> SortParam(const std::string& name, RecordKind kind) {
  using S = store::RecordSort;
  const std::pair<std::string, S> sorts[] = {{"name", S::kName},
                                             {Detail1Name(kind), S::kDetail1},
                                             {Detail2Name(kind), S::kDetail2},
                                             {"impact", S::kImpact},
                                             {"location", S::kLocation},
                                             {"managed_by_group", S::kGroup},
                                             {"managed_by_agent", S::kAgent},
                                             {"updated_at", S::kUpdated}};
  for (const auto& [key, sort] : sorts) {
    if (name == key) return sort;
  }
  return Status::Error("sort: unknown column '" + name + "'");
}

Result<int> IntParam(const httplib::Params& params, const char* key, int fallback, int min,
                     int max) {
  const std::string* given = Param(params, key);
  if (given == nullptr) return fallback;
  const std::string& text = *given;
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max) {
    return Status::Error(std::string(key) + ": must be a whole number from " + std::to_string(min) +
                         " to " + std::to_string(max));
  }
  return value;
}

}  // namespace

Result<store::RecordQuery> ParseRecordQuery(const httplib::Params& params, RecordKind kind) {
  store::RecordQuery q;
  auto offset = IntParam(params, "offset", 0, 0, 100'000'000);
  if (!offset.ok()) return offset.status();
  auto limit = IntParam(params, "limit", 50, 1, kMaxPageSize);
  if (!limit.ok()) return limit.status();
  q.offset = offset.value();
  q.limit = limit.value();
  if (const std::string* sort_name = Param(params, "sort")) {
    auto sort = SortParam(*sort_name, kind);
    if (!sort.ok()) return sort.status();
    q.sort = sort.value();
  }
  const std::string* dir_given = Param(params, "dir");
  const std::string dir = dir_given ? *dir_given : "asc";
  if (dir != "asc" && dir != "desc") return Status::Error("dir: must be asc or desc");
  q.descending = dir == "desc";
  if (const std::string* text = Param(params, "q")) q.filter.q = *text;
  if (q.filter.q.size() > kMaxSearchBytes || !IsValidUtf8(q.filter.q)) {
    return Status::Error("q: at most 200 bytes of text");
  }
  if (const std::string* impact = Param(params, "impact")) {
    q.filter.impact = ParseImpact(*impact);
    if (!q.filter.impact) return Status::Error("impact: must be low, medium or high");
  }
  const std::pair<const char*, store::RefFilter store::RecordFilter::*> refs[] = {
      {"location_id", &store::RecordFilter::location},
      {"managed_by_group_id", &store::RecordFilter::group},
      {"managed_by_agent_id", &store::RecordFilter::agent}};
  for (const auto& [key, field] : refs) {
    auto ref = RefParam(params, key);
    if (!ref.ok()) return ref.status();
    q.filter.*field = ref.value();
  }
  if (const std::string* retired = Param(params, "retired")) {
    if (*retired != "true" && *retired != "false") {
      return Status::Error("retired: must be true or false");
    }
    q.filter.retired = *retired == "true";
  }
  return q;
}

namespace {

Result<std::vector<int64_t>> IdList(const JsonValue& j, const std::string& what) {
  if (!j.is_array()) return Status::Error(what + ": must be a list of ids");
  if (j.items().size() > services::RecordsService::kMaxBulkIds) {
    return Status::Error(what + ": at most 100000 ids");
  }
  std::vector<int64_t> ids;
  ids.reserve(j.items().size());
  for (const JsonValue& item : j.items()) {
    auto id = ReadRecordRef(item, what);
    if (!id.ok() || !id.value()) return Status::Error(what + ": must be a list of ids");
    ids.push_back(*id.value());
  }
  return ids;
}

}  // namespace

Result<store::RecordSelection> SelectionFromJson(const JsonValue& j) {
  if (!j.is_object()) return Status::Error("selection: must be an object");
  store::RecordSelection selection;
  const JsonValue* ids = j.Find("ids");
  const JsonValue* filter = j.Find("filter");
  const JsonValue* except = j.Find("except");
  if ((ids == nullptr) == (filter == nullptr)) {
    return Status::Error("selection: give either ids or filter");
  }
  for (const auto& [key, value] : j.members()) {
    if (key != "ids" && key != "filter" && key != "except") {
      return Status::Error("selection: unknown field '" + key + "'");
    }
  }
  if (ids != nullptr) {
    if (except != nullptr) return Status::Error("selection.except: only with a filter");
    auto list = IdList(*ids, "selection.ids");
    if (!list.ok()) return list.status();
    if (list.value().empty()) return Status::Error("selection.ids: select at least one row");
    selection.ids = std::move(list).value();
    return selection;
  }
  auto parsed = GridFilterFromJson(*filter);
  if (!parsed.ok()) return parsed.status();
  selection.filter = std::move(parsed).value();
  if (except != nullptr) {
    auto list = IdList(*except, "selection.except");
    if (!list.ok()) return list.status();
    selection.except = std::move(list).value();
  }
  return selection;
}

Result<ViewCheck> ViewCheckFromJson(const JsonValue& j) {
  if (!j.is_object()) return Status::Error("body: must be an object");
  for (const auto& [key, value] : j.members()) {
    if (key != "ids" && key != "filter") return Status::Error("unknown field '" + key + "'");
  }
  const JsonValue* ids = j.Find("ids");
  if (ids == nullptr) return Status::Error("ids: required");
  auto list = IdList(*ids, "ids");
  if (!list.ok()) return list.status();
  ViewCheck check;
  check.ids = std::move(list).value();
  if (const JsonValue* filter = j.Find("filter")) {
    auto parsed = GridFilterFromJson(*filter, "filter");
    if (!parsed.ok()) return parsed.status();
    check.filter = std::move(parsed).value();
  }
  return check;
}

}  // namespace deskgate::http
