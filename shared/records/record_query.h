// GridQuery: which records a list shows (the filter) and in which order
// (the sort), as the page and the list API name them.
//
// The filter matters beyond fetching: a bulk action over "everything
// matching" is defined by it, so the grid keeps the filter it selected
// under and sends it back in the bulk request.
//
// JSON (every field optional): {"sort":"name","dir":"asc"|"desc","q":TEXT,
//   "impact":"low"|"medium"|"high", "location_id":N|null,
//   "managed_by_group_id":N|null, "managed_by_agent_id":N|null,
//   "retired":true|false}   (false, the default: records not retired)
// A reference filter that is null matches records where the field is empty.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "shared/core/json_value.h"
#include "shared/core/status.h"
#include "shared/records/record_change.h"

namespace deskgate {

// A filter on a reference field: off (!set), "none" (set, no id) or one id.
struct RefFilter {
  bool set = false;
  std::optional<int64_t> id;
  bool operator==(const RefFilter&) const = default;
};

struct GridFilter {
  std::string q;  // text search; empty = off
  std::optional<Impact> impact;
  RefFilter location;
  RefFilter group;
  RefFilter agent;
  bool retired = false;  // the retired records instead of the live ones
  bool operator==(const GridFilter&) const = default;
};

struct GridQuery {
  GridFilter filter;
  std::string sort = "name";  // a column key of the list API
  bool descending = false;
  bool operator==(const GridQuery&) const = default;
};

constexpr size_t kMaxSearchBytes = 200;

// Errors name the field: "sort: must be one of name, asset_tag, …".
Result<GridQuery> ParseGridQuery(std::string_view json);

// The filter as the bulk API takes it: only the fields that are on, q first.
std::string GridFilterToJson(const GridFilter& filter);

// Reads such a filter (every field optional; an unknown field is an error;
// impact null means off, a reference null means "none"). The server reads
// a bulk request's "selection.filter" with it; errors name the field under
// `where`: "selection.filter.impact: must be low, medium, high or null".
Result<GridFilter> GridFilterFromJson(const JsonValue& object,
                                      std::string_view where = "selection.filter");

}  // namespace deskgate
