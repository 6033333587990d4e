// Reading the list and bulk requests of the asset and software APIs: the
// query string of GET /api/{assets|software} and the selection of a bulk
// change. Both are untrusted and fuzzed (tests/fuzz); errors name the
// parameter or field.
#pragma once

#include <httplib.h>

#include "server/store/records.h"
#include "shared/core/json_value.h"
#include "shared/core/status.h"

namespace deskgate::http {

inline constexpr int kMaxPageSize = 500;

// The column names of a kind's two detail fields ("asset_tag"/"type",
// "publisher"/"version_string").
const char* Detail1Name(store::RecordKind kind);
const char* Detail2Name(store::RecordKind kind);

// offset, limit (1–500), sort, dir, q, the filters and retired=true|false
// (the retired records instead of the live ones); the first value of a
// repeated parameter counts.
Result<store::RecordQuery> ParseRecordQuery(const httplib::Params& params, store::RecordKind kind);

// {"ids":[…]} or {"filter":{…},"except":[…]}, at most
// RecordsService::kMaxBulkIds ids.
Result<store::RecordSelection> SelectionFromJson(const JsonValue& selection);

// POST /api/{kind}/selection: {"ids":[…],"filter":{…}} — which selected
// rows a filter shows (the filter optional: none shows every record).
struct ViewCheck {
  std::vector<int64_t> ids;
  store::RecordFilter filter;
};
Result<ViewCheck> ViewCheckFromJson(const JsonValue& body);

}  // namespace deskgate::http
