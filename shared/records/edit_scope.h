// EditScope: which asset and software records a person may change, from
// their role's asset permission — every record, the records managed by one
// of their groups, or none. With group scope a record must be managed by
// one of their groups both before and after a change, so nobody hands a
// record to another team and nobody edits one they cannot see.
//
// The server decides with it (RecordsService); the list page holds the
// same scope (GET /api/records/names "edit_scope") so it can mark the rows
// a person may not change before they try.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "shared/core/json_value.h"
#include "shared/core/status.h"
#include "shared/records/record_change.h"

namespace deskgate {

// Why a row out of scope cannot be changed, and why a change would take
// one out of it; the page shows these words.
inline constexpr std::string_view kOutsideEditScope =
    "you may edit only records managed by your groups";
inline constexpr std::string_view kLeavesEditScope =
    "you may hand records only to one of your groups";

struct EditScope {
  bool all = false;
  std::vector<int64_t> groups;  // sorted; without `all`: records managed by these groups

  bool Allows(const RecordFields& fields) const {
    if (all) return true;
    return fields.group && std::binary_search(groups.begin(), groups.end(), *fields.group);
  }
  // Whether a change from `before` to `after` stays within the scope.
  bool AllowsChange(const RecordFields& before, const RecordFields& after) const {
    return Allows(before) && Allows(after);
  }
};

// {"all":true} or {"all":false,"groups":[ids]}.
std::string EditScopeToJson(const EditScope& scope);
Result<EditScope> EditScopeFromJson(const JsonValue& json);

}  // namespace deskgate
